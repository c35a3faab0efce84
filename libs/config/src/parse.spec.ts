import { describe, expect, it } from '@jest/globals';
import {
  ConfigError,
  ExperimentSchema,
  defaultExperiment,
  parseExperiment,
  safeParseExperiment,
} from './index.js';
import type { ExperimentInput } from './index.js';

/** The ConfigError lines `parseExperiment(input)` throws; fails the test when it does not throw. */
function problems(input: unknown): string[] {
  const r = safeParseExperiment(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  expect(r.error).toBeInstanceOf(ConfigError);
  return r.error.message.split('\n');
}

describe('defaults', () => {
  it('fill a near-empty config with the default experiment', () => {
    const c = parseExperiment({ name: 'x' });
    expect(c).toMatchObject({
      name: 'x',
      seed: 42,
      rounds: 30,
      data: {
        dataset: 'mnist',
        split: { test: 2000, proxy: 2000 },
        partition: { kind: 'dirichlet', alpha: 0.5 },
      },
      clients: {
        count: 20,
        perRound: 10,
        minAvailable: 10,
        minResults: 5,
        deadlineSeconds: 60,
        maxRetries: 2,
      },
      model: {
        student: { kind: 'cnn', filters: [8, 16], dense: 64, kernelSize: 5 },
        teacher: { model: { kind: 'cnn', filters: [32, 64], dense: 512 }, training: { epochs: 10 } },
        distill: { enabled: true, temperature: 4, alpha: 0.9, softOnly: false },
        compress: { prune: { sparsity: 0.7, schedule: 'gradual', scope: 'global' }, quantize: 'int8' },
      },
      training: { epochs: 1, batchSize: 32, lr: 0.02, optimizer: 'sgd', fedproxMu: 0 },
      strategy: { name: 'fedavg', serverLr: 1 },
      compression: {
        uplink: 'topk:0.01+sign',
        errorFeedback: true,
        downlink: 'topk:0.1+q8',
        downlinkFull: 'q8(chunk=256)',
      },
      evaluation: { every: 1 },
      server: { host: '127.0.0.1', port: 0 },
    });
    expect(c.data.synthetic).toBeUndefined();
    expect(c.model.teacher.path).toBeUndefined();
  });

  it('treat undefined and null (an empty file) as {}', () => {
    expect(parseExperiment(undefined)).toEqual(defaultExperiment());
    expect(parseExperiment(null)).toEqual(defaultExperiment());
  });

  it('fill each variant with its own defaults, from a bare tag too', () => {
    const c = parseExperiment({
      data: { partition: 'shards' },
      model: { student: { kind: 'cnn', filters: [8, 16] }, teacher: { model: '2nn' } },
      strategy: 'fedyogi',
    });
    expect(c.data.partition).toEqual({ kind: 'shards', shardsPerClient: 2 });
    expect(c.model.student).toEqual({ kind: 'cnn', filters: [8, 16], dense: 512, kernelSize: 5 });
    expect(c.model.teacher.model).toEqual({ kind: '2nn' });
    expect(c.strategy).toEqual({ name: 'fedyogi', serverLr: 0.01, beta1: 0.9, beta2: 0.99, tau: 0.001 });
    expect(parseExperiment({ strategy: 'fedadagrad' }).strategy).toEqual({
      name: 'fedadagrad',
      serverLr: 0.1,
      beta1: 0,
      tau: 0.001,
    });
    expect(parseExperiment({ data: { partition: 'quantity' } }).data.partition).toEqual({
      kind: 'quantity',
      sizes: { distribution: 'dirichlet', alpha: 0.5 },
    });
  });

  it('derive the round size, quorum and availability from fraction', () => {
    const c = parseExperiment({ clients: { count: 50, fraction: 0.1 } });
    expect(c.clients).toMatchObject({
      count: 50,
      perRound: undefined,
      fraction: 0.1,
      minAvailable: 5,
      minResults: 3,
    });
  });

  it('fill data.synthetic and an MLP teacher and student for flat synthetic data', () => {
    const c = parseExperiment({ data: { dataset: 'synthetic', split: { test: 100, proxy: 100 } } });
    expect(c.data.synthetic).toEqual({
      samples: 10000,
      features: 20,
      shape: [20],
      classes: 10,
      noise: 1,
      separation: 6,
    });
    expect(c.model.teacher.model).toEqual({ kind: 'mlp', hidden: [256, 256] });
    expect(c.model.student).toEqual({ kind: 'mlp', hidden: [128] });
    const img = parseExperiment({ data: { dataset: 'synthetic', synthetic: { shape: [8, 8, 1] } } });
    expect(img.data.synthetic).toMatchObject({ features: 64, shape: [8, 8, 1] });
    expect(img.model.student.kind).toBe('cnn');
    expect(img.model.teacher.model.kind).toBe('cnn');
  });

  it('give a fresh object on every parse (no shared default arrays)', () => {
    const a = parseExperiment({});
    if (a.model.student.kind === 'cnn') a.model.student.filters[0] = 7;
    expect(parseExperiment({}).model.student).toEqual({
      kind: 'cnn',
      filters: [8, 16],
      dense: 64,
      kernelSize: 5,
    });
    const flat = { data: { dataset: 'synthetic' as const } };
    const b = parseExperiment(flat);
    if (b.model.student.kind === 'mlp') b.model.student.hidden.push(7);
    expect(parseExperiment(flat).model.student).toEqual({ kind: 'mlp', hidden: [128] });
  });

  it('type-check the input shape', () => {
    const input: ExperimentInput = {
      clients: { perRound: 5 },
      strategy: 'fedavgm',
      data: { partition: 'iid' },
    };
    expect(ExperimentSchema.parse(input).strategy).toEqual({ name: 'fedavgm', serverLr: 1, momentum: 0.9 });
  });
});

describe('errors', () => {
  it('name an unknown key with the allowed keys, and guess typos', () => {
    expect(problems({ data: { partitoin: { kind: 'iid' } } })).toEqual([
      'data.partitoin: unknown key, did you mean "partition"? (allowed: dataset, split, synthetic, partition)',
    ]);
    expect(problems({ clients: { count: 4, perRound: 2, zzz: 1 } })).toEqual([
      'clients.zzz: unknown key (allowed: count, perRound, fraction, minAvailable, minResults, deadlineSeconds, maxRetries, sampleCount)',
    ]);
  });

  it('reject keys of another variant', () => {
    expect(problems({ strategy: { name: 'fedavg', momentum: 0.9 } })).toEqual([
      'strategy.momentum: unknown key (allowed: name, serverLr)',
    ]);
  });

  it('name a bad enum value and the allowed ones', () => {
    expect(problems({ training: { optimizer: 'rmsprop' } })).toEqual([
      'training.optimizer: "rmsprop" is not allowed (allowed: sgd, momentum, adam)',
    ]);
    expect(problems({ data: { partition: { kind: 'pathological' } } })).toEqual([
      'data.partition.kind: "pathological" is not allowed (allowed: iid, dirichlet, shards, quantity)',
    ]);
    expect(problems({ data: { partition: { alpha: 1 } } })).toEqual([
      'data.partition.kind: is required (allowed: iid, dirichlet, shards, quantity)',
    ]);
    expect(problems({ model: { compress: { quantize: 'kmeans:300' } } })).toEqual([
      'model.compress.quantize: "kmeans:300" is not allowed (allowed: int8, kmeans:<k> with an integer k in [2, 256], none)',
    ]);
  });

  it('name out-of-range and mistyped values with the allowed range', () => {
    expect(problems({ rounds: 0 })).toEqual(['rounds: 0 is out of range (allowed: an integer ≥ 1)']);
    expect(problems({ data: { partition: { kind: 'dirichlet', alpha: 0 } } })).toEqual([
      'data.partition.alpha: 0 is out of range (allowed: a number > 0)',
    ]);
    expect(problems({ model: { compress: { prune: { sparsity: 1 } } } })).toEqual([
      'model.compress.prune.sparsity: 1 is out of range (allowed: a number in [0, 1))',
    ]);
    expect(problems({ clients: { count: 2.5 } })).toEqual([
      'clients.count: 2.5 is not an integer (allowed: an integer ≥ 1)',
    ]);
    expect(problems({ seed: '42' })).toEqual([
      'seed: "42" is not an integer (allowed: an integer in [0, 4294967295])',
    ]);
    expect(problems({ training: { lr: Infinity } })).toEqual([
      'training.lr: Infinity is not a finite number (allowed: a number > 0)',
    ]);
    expect(problems({ compression: { errorFeedback: 'yes' } })).toEqual([
      'compression.errorFeedback: "yes" is not a boolean (allowed: true or false)',
    ]);
    expect(problems({ model: { student: { kind: 'mlp', hidden: [128, 0] } } })).toEqual([
      'model.student.hidden[1]: 0 is out of range (allowed: an integer ≥ 1)',
    ]);
    expect(problems({ model: { student: { kind: 'cnn', filters: [8] } } })).toEqual([
      'model.student.filters: [8] does not have two entries (allowed: two conv widths [conv1, conv2], e.g. [32, 64])',
    ]);
    expect(problems({ data: 'mnist' })[0]).toBe(
      'data: "mnist" is not a mapping (allowed: a mapping with keys dataset, split, synthetic, partition)',
    );
    expect(problems({ name: 'my experiment' })[0]).toMatch(
      /^name: "my experiment" is not allowed \(allowed: letters/,
    );
  });

  it('check fields against each other, naming both', () => {
    expect(problems({ clients: { perRound: 30 } })).toEqual([
      'clients.perRound: 30 is more than clients.count (20)',
    ]);
    expect(problems({ clients: { minResults: 11 } })).toEqual([
      'clients.minResults: 11 is more than clients.perRound (10)',
    ]);
    expect(problems({ clients: { minAvailable: 5 } })).toEqual([
      'clients.minAvailable: 5 is less than clients.perRound (10)',
    ]);
    expect(problems({ clients: { minAvailable: 21 } })).toEqual([
      'clients.minAvailable: 21 is more than clients.count (20)',
    ]);
    expect(problems({ clients: { perRound: 5, fraction: 0.5 } })).toEqual([
      'clients.fraction: give clients.perRound or clients.fraction, not both',
    ]);
    expect(problems({ clients: { fraction: 0.25, minResults: 6 } })).toEqual([
      'clients.minResults: 6 is more than the clients per round (⌊0.25 × 20⌋ = 5)',
    ]);
    expect(problems({ model: { teacher: { path: 't/model.json', training: { epochs: 2 } } } })).toEqual([
      'model.teacher.training: is not used when model.teacher.path is set (give a path to load, or training to train, not both)',
    ]);
    expect(problems({ data: { synthetic: { samples: 100 } } })).toEqual([
      'data.synthetic: is only used when data.dataset is "synthetic" (data.dataset is "mnist"; remove data.synthetic)',
    ]);
  });

  it('check sections against each other once each is valid', () => {
    expect(problems({ data: { split: { test: 5000, proxy: 5000 } } })).toEqual([
      'data.split: test 5000 + proxy 5000 leaves no samples for the clients out of the 10000 MNIST digits',
    ]);
    expect(problems({ data: { split: { clients: 7000 } } })).toEqual([
      'data.split: test 2000 + proxy 2000 + clients 7000 = 11000 is more than the 10000 MNIST digits',
    ]);
    expect(problems({ data: { split: { clients: 10 } } })).toEqual([
      'clients.count: 20 clients cannot each get a sample of the 10 client samples (data.split)',
    ]);
    expect(problems({ data: { partition: { kind: 'shards', shardsPerClient: 400 } } })).toEqual([
      'data.partition.shardsPerClient: 400 × clients.count (20) = 8000 shards is more than the 6000 client samples',
    ]);
    expect(problems({ data: { split: { proxy: 0 } } })).toEqual([
      'data.split.proxy: 0 leaves no proxy data for distillation (model.distill.enabled is true; give a proxy split or disable distillation)',
    ]);
    expect(
      parseExperiment({ data: { split: { proxy: 0 } }, model: { distill: { enabled: false } } }).data.split
        .proxy,
    ).toBe(0);
    expect(problems({ data: { dataset: 'synthetic' }, model: { student: 'cnn' } })).toEqual([
      'model.student.kind: "cnn" needs image-shaped samples of at least 4×4 (allowed with data.dataset: mnist, ' +
        'or data.synthetic.shape [height, width, channels] or [height, width], or square data.synthetic.features)',
    ]);
    expect(
      parseExperiment({
        data: { dataset: 'synthetic', synthetic: { features: 64 } },
        model: { student: 'cnn' },
      }),
    ).toBeTruthy();
  });

  it("pass on the codec library's message for a bad codec spec", () => {
    expect(problems({ compression: { uplink: 'topk:2' } })).toEqual([
      'compression.uplink: bad codec spec "topk:2": topk needs a fraction in (0, 1], e.g. topk:0.01',
    ]);
    expect(problems({ compression: { downlink: 'q9' } })[0]).toMatch(
      /^compression\.downlink: bad codec spec "q9": /,
    );
    expect(
      parseExperiment({ compression: { uplink: 'approx-topk:0.001+sign', downlink: 'none' } }).compression,
    ).toMatchObject({
      uplink: 'approx-topk:0.001+sign',
      downlink: 'none',
    });
  });

  it('list every problem, one per line, in document order', () => {
    const lines = problems({
      seed: -1,
      data: { partition: { kind: 'dirichlet', alpha: -1 }, extra: true },
      training: { optimizer: 'rmsprop' },
      compression: { uplink: 'topk:2' },
    });
    expect(lines).toEqual([
      'seed: -1 is out of range (allowed: an integer in [0, 4294967295])',
      'data.partition.alpha: -1 is out of range (allowed: a number > 0)',
      'data.extra: unknown key (allowed: dataset, split, synthetic, partition)',
      'training.optimizer: "rmsprop" is not allowed (allowed: sgd, momentum, adam)',
      'compression.uplink: bad codec spec "topk:2": topk needs a fraction in (0, 1], e.g. topk:0.01',
    ]);
  });

  it('expose the issues as data, and prefix the source', () => {
    let error: unknown;
    try {
      parseExperiment({ clients: { perRound: 30 }, rounds: 0 }, { source: 'x.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.source).toBe('x.yaml');
    expect(e.issues).toEqual([
      { path: ['rounds'], message: '0 is out of range (allowed: an integer ≥ 1)' },
      { path: ['clients', 'perRound'], message: '30 is more than clients.count (20)' },
    ]);
    expect(e.message).toBe(
      'x.yaml: rounds: 0 is out of range (allowed: an integer ≥ 1)\nx.yaml: clients.perRound: 30 is more than clients.count (20)',
    );
  });

  it('reject a config that is not a mapping', () => {
    // The list of keys grows with the schema: check its start and the sentence, not every key.
    const [problem, ...rest] = problems([1, 2]);
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^\(top level\): \[1,2\] is not a mapping \(allowed: a mapping with keys name, seed, rounds, data, clients, model, training, strategy, compression, evaluation, server(, [a-z]+)*\)$/,
    );
  });
});

describe('name', () => {
  it('defaults to the base name of the source, else "experiment"', () => {
    expect(parseExperiment({}, { source: 'experiments/mnist-iid.yaml' }).name).toBe('mnist-iid');
    expect(parseExperiment({}, { source: 'C:\\x\\run.v2.json' }).name).toBe('run.v2');
    expect(parseExperiment({}, { source: 'odd name.yaml' }).name).toBe('experiment');
    expect(parseExperiment({ name: 'given' }, { source: 'a.yaml' }).name).toBe('given');
    expect(parseExperiment({}).name).toBe('experiment');
  });
});
