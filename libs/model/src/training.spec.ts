import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { prototypes } from './__tests__/synthetic.js';
import { initBackend } from './backend.js';
import { ModelError } from './errors.js';
import { getFlatWeights, setFlatWeights, weightLayout } from './flat-weights.js';
import { type BatchInfo, type TrainOptions, evaluate, predictLogits, trainLocal } from './training.js';
import { type ModelConfig, createModel } from './zoo.js';

const shape = [6, 6, 1] as const;
const data = prototypes(60, shape, 3, 1);
const test = prototypes(30, shape, 3, 1);
const mlp: ModelConfig = { kind: 'mlp', hidden: [16] };
const cnn: ModelConfig = { kind: 'cnn', filters: [2, 3], dense: 8, kernelSize: 3 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof ModelError ? e.code : `other: ${(e as Error).message}`;
  }
  return 'none';
}

describe('trainLocal and evaluate', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('learns a separable problem (mlp, sgd)', async () => {
    const model = createModel(mlp, data, { seed: 1 });
    const before = await evaluate(model, test);
    const result = await trainLocal(model, data, { lr: 0.1, epochs: 8, batchSize: 10, seed: 2 });
    const after = await evaluate(model, test);
    expect(result.numSamples).toBe(60);
    expect(result.steps).toBe(48);
    expect(result.epochs).toHaveLength(8);
    expect(result.epochs[7]!.loss).toBeLessThan(result.epochs[0]!.loss);
    expect(after.loss).toBeLessThan(before.loss);
    expect(after.accuracy).toBeGreaterThan(0.9);
    expect(after.numSamples).toBe(30);
    model.dispose();
  });

  it.each(['sgd', 'momentum', 'adam'] as const)(
    'trains a cnn with %s and leaks no tensors',
    async (optimizer) => {
      const model = createModel(cnn, data, { seed: 1 });
      const before = tf.memory().numTensors;
      const dataIds = tf.backend().numDataIds();
      const first = await evaluate(model, data);
      const result = await trainLocal(model, data, {
        optimizer,
        lr: optimizer === 'adam' ? 0.01 : 0.05,
        epochs: 3,
        batchSize: 16,
        seed: 3,
        fedproxMu: 0.01,
        l1: 1e-4,
      });
      const last = await evaluate(model, data);
      await predictLogits(model, data);
      expect(tf.memory().numTensors).toBe(before);
      expect(tf.backend().numDataIds()).toBe(dataIds);
      expect(Number.isFinite(result.loss)).toBe(true);
      expect(last.loss).toBeLessThan(first.loss);
      model.dispose();
    },
  );

  it('is reproducible from the seed and depends on it', async () => {
    const run = async (seed: number) => {
      const model = createModel(cnn, data, { seed: 5 });
      await trainLocal(model, data, { lr: 0.05, epochs: 2, batchSize: 7, seed, optimizer: 'momentum' });
      const w = getFlatWeights(model);
      model.dispose();
      return w;
    };
    const a = await run(1);
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  it('reports every batch, the last one short', async () => {
    const model = createModel(mlp, data);
    const seen: BatchInfo[] = [];
    const result = await trainLocal(model, data, {
      lr: 0.1,
      epochs: 2,
      batchSize: 25,
      onBatch: (b) => seen.push(b),
    });
    expect(seen.map((b) => `${b.epoch}.${b.batch}:${b.size}`)).toEqual([
      '0.0:25',
      '0.1:25',
      '0.2:10',
      '1.0:25',
      '1.1:25',
      '1.2:10',
    ]);
    const lastEpoch = seen.slice(3);
    const mean = lastEpoch.reduce((s, b) => s + b.loss * b.size, 0) / 60;
    expect(result.loss).toBeCloseTo(mean, 5);
    model.dispose();
  });

  /** One full-batch SGD step from fixed weights: the weight change it makes. */
  async function sgdStep(extra: Partial<TrainOptions>, w0: Float32Array): Promise<Float32Array> {
    const model = createModel(mlp, data);
    setFlatWeights(model, w0);
    await trainLocal(model, data, { lr: 0.5, epochs: 1, batchSize: data.n, ...extra });
    const w1 = getFlatWeights(model);
    model.dispose();
    return w1.map((v, i) => v - w0[i]!);
  }

  it('adds the FedProx term μ/2·‖w − w_global‖² to the loss', async () => {
    const model = createModel(mlp, data, { seed: 9 });
    const w0 = getFlatWeights(model);
    model.dispose();
    const global = w0.map((v, i) => v + ((i % 7) - 3) * 0.01);
    const plain = await sgdStep({}, w0);
    const mu = 0.3;
    const prox = await sgdStep({ fedproxMu: mu, globalWeights: global }, w0);
    // The extra step is −lr·μ·(w0 − w_global).
    prox.forEach((d, i) => expect(d - plain[i]!).toBeCloseTo(-0.5 * mu * (w0[i]! - global[i]!), 5));
    // Without globalWeights the anchor is the starting point: no pull at the first step.
    const anchored = await sgdStep({ fedproxMu: mu }, w0);
    anchored.forEach((d, i) => expect(d).toBeCloseTo(plain[i]!, 6));
  });

  it('adds the L1 penalty λ·Σ|w| on kernels only', async () => {
    const model = createModel(mlp, data, { seed: 9 });
    const layout = weightLayout(model);
    const w0 = getFlatWeights(model);
    model.dispose();
    const plain = await sgdStep({}, w0);
    const l1 = 0.01;
    const penalised = await sgdStep({ l1 }, w0);
    for (const e of layout.entries) {
      const kernel = e.shape.length >= 2;
      for (let i = e.offset; i < e.offset + e.size; i++) {
        const expected = kernel ? -0.5 * l1 * Math.sign(w0[i]!) : 0;
        expect(penalised[i]! - plain[i]!).toBeCloseTo(expected, 5);
      }
    }
  });

  it('evaluates in batches, consistent with the logits', async () => {
    const model = createModel(mlp, data, { seed: 2 });
    await trainLocal(model, data, { lr: 0.1, epochs: 2 });
    const whole = await evaluate(model, test, { batchSize: 1000 });
    const small = await evaluate(model, test, { batchSize: 7 });
    expect(small.accuracy).toBe(whole.accuracy);
    expect(small.loss).toBeCloseTo(whole.loss, 5);
    const logits = await predictLogits(model, { ...test, y: undefined }, { batchSize: 4 });
    let correct = 0;
    for (let i = 0; i < test.n; i++) {
      const row = Array.from(logits.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === test.y[i]) correct++;
    }
    expect(correct / test.n).toBe(whole.accuracy);
    model.dispose();
  });

  it('feeds flat data to a model built for images, and images to a flat model', async () => {
    const flat = { ...data, shape: [36] };
    const model = createModel(cnn, data);
    await trainLocal(model, flat, { lr: 0.05 });
    expect((await evaluate(model, flat)).numSamples).toBe(60);
    model.dispose();
  });

  it('rejects bad options and data that do not fit', async () => {
    const model = createModel(mlp, data);
    const bad = (o: Partial<TrainOptions>) => trainLocal(model, data, { lr: 0.1, ...o });
    expect(await codeOf(bad({ lr: 0 }))).toBe('BAD_OPTION');
    expect(await codeOf(bad({ epochs: 0 }))).toBe('BAD_OPTION');
    expect(await codeOf(bad({ batchSize: 2.5 }))).toBe('BAD_OPTION');
    expect(await codeOf(bad({ optimizer: 'rmsprop' as 'sgd' }))).toBe('BAD_OPTION');
    expect(await codeOf(bad({ optimizer: 'momentum', momentum: 1 }))).toBe('BAD_OPTION');
    expect(await codeOf(bad({ fedproxMu: -1 }))).toBe('BAD_OPTION');
    expect(await codeOf(bad({ fedproxMu: 1, globalWeights: new Float32Array(3) }))).toBe('LAYOUT_MISMATCH');
    expect(await codeOf(trainLocal(model, { ...data, numClasses: 4 }, { lr: 0.1 }))).toBe('BAD_DATA');
    expect(await codeOf(trainLocal(model, { ...data, shape: [35] }, { lr: 0.1 }))).toBe('BAD_DATA');
    expect(await codeOf(trainLocal(model, { ...data, y: new Uint8Array(data.n).fill(5) }, { lr: 0.1 }))).toBe(
      'BAD_DATA',
    );
    expect(await codeOf(evaluate(model, { ...data, n: 0, x: new Float32Array(0), y: [] }))).toBe('BAD_DATA');
    model.dispose();
  });

  it('leaves no tensors behind when it throws mid-way', async () => {
    const model = createModel(mlp, data);
    const before = tf.memory().numTensors;
    const y = Uint8Array.from(data.y);
    y[50] = 9;
    expect(
      await codeOf(trainLocal(model, { ...data, y }, { lr: 0.1, optimizer: 'adam', fedproxMu: 1 })),
    ).toBe('BAD_DATA');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
