import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.js';
import { ModelError } from './errors.js';
import { getFlatWeights, weightLayout } from './flat-weights.js';
import { type ModelConfig, createModel, describeModel } from './zoo.js';

const mnist = { shape: [28, 28, 1], numClasses: 10 } as const;

function params(
  config: ModelConfig,
  input: { shape: readonly number[]; numClasses: number } = mnist,
): number {
  const model = createModel(config, input);
  const n = model.countParams();
  model.dispose();
  return n;
}

describe('model zoo', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it("builds McMahan's 2NN and CNN with the paper's parameter counts", () => {
    expect(params({ kind: '2nn' })).toBe(199_210);
    expect(params({ kind: 'cnn' })).toBe(1_663_370);
  });

  it('builds an MLP with configurable hidden layers', () => {
    expect(params({ kind: 'mlp' })).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(params({ kind: 'mlp', hidden: [64, 32] })).toBe(784 * 64 + 64 + 64 * 32 + 32 + 32 * 10 + 10);
    expect(params({ kind: 'mlp', hidden: [] }, { shape: [20], numClasses: 3 })).toBe(20 * 3 + 3);
  });

  it('builds a small CNN student with configurable channels and width', () => {
    const conv1 = 5 * 5 * 1 * 8 + 8;
    const conv2 = 5 * 5 * 8 * 16 + 16;
    const fc = 7 * 7 * 16 * 64 + 64;
    expect(params({ kind: 'cnn', filters: [8, 16], dense: 64 })).toBe(conv1 + conv2 + fc + 64 * 10 + 10);
    expect(
      params({ kind: 'cnn', filters: [4, 4], dense: 8, kernelSize: 3 }, { shape: [8, 8, 3], numClasses: 2 }),
    ).toBe(3 * 3 * 3 * 4 + 4 + (3 * 3 * 4 * 4 + 4) + (2 * 2 * 4 * 8 + 8) + (8 * 2 + 2));
  });

  it('takes its input shape from the data and outputs one logit per class', () => {
    const before = tf.memory().numTensors;
    for (const [config, shape] of [
      [{ kind: 'cnn', filters: [2, 3], dense: 4 }, [784]],
      [{ kind: 'cnn', filters: [2, 3], dense: 4 }, [12, 12]],
      [{ kind: 'mlp', hidden: [5] }, [3, 4, 2]],
    ] as const) {
      const model = createModel(config, { shape, numClasses: 7 });
      const out = tf.tidy(() => model.predict(tf.zeros([3, ...shape])) as tf.Tensor);
      expect(out.shape).toEqual([3, 7]);
      out.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names its weights stably', () => {
    const model = createModel({ kind: 'cnn', filters: [2, 3], dense: 4 }, mnist);
    expect(weightLayout(model).entries.map((e) => e.name)).toEqual([
      'conv1/kernel',
      'conv1/bias',
      'conv2/kernel',
      'conv2/bias',
      'fc/kernel',
      'fc/bias',
      'logits/kernel',
      'logits/bias',
    ]);
    model.dispose();
  });

  it('initialises deterministically from the seed', () => {
    const config: ModelConfig = { kind: 'cnn', filters: [4, 8], dense: 16 };
    const weights = (seed: number) => {
      const model = createModel(config, mnist, { seed });
      const flat = getFlatWeights(model);
      model.dispose();
      return flat;
    };
    const a = weights(7);
    expect(weights(7)).toEqual(a);
    expect(weights(8)).not.toEqual(a);
    // Kernels are random, biases zero.
    const model = createModel(config, mnist, { seed: 7 });
    for (const e of weightLayout(model).entries) {
      const part = a.subarray(e.offset, e.offset + e.size);
      if (e.name.endsWith('bias')) expect(part.every((v) => v === 0)).toBe(true);
      else expect(part.some((v) => v !== 0)).toBe(true);
    }
    model.dispose();
  });

  it('describes configs', () => {
    expect(describeModel({ kind: 'mlp', hidden: [64, 32] })).toBe('mlp(64,32)');
    expect(describeModel({ kind: '2nn' })).toBe('2nn');
    expect(describeModel({ kind: 'cnn' })).toBe('cnn(32,64,fc512)');
    expect(describeModel({ kind: 'cnn', filters: [8, 16], dense: 64, kernelSize: 3 })).toBe(
      'cnn(8,16,fc64,k3)',
    );
  });

  it('rejects bad configs and inputs', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ModelError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => createModel({ kind: 'rnn' } as unknown as ModelConfig, mnist))).toBe('BAD_OPTION');
    expect(code(() => createModel({ kind: 'mlp', hidden: [0] }, mnist))).toBe('BAD_OPTION');
    expect(code(() => createModel({ kind: 'cnn', dense: 1.5 }, mnist))).toBe('BAD_OPTION');
    expect(code(() => createModel({ kind: '2nn' }, mnist, { seed: 0.5 }))).toBe('BAD_OPTION');
    expect(code(() => createModel({ kind: 'cnn' }, { shape: [10], numClasses: 10 }))).toBe('BAD_DATA');
    expect(code(() => createModel({ kind: 'cnn' }, { shape: [2, 2, 1], numClasses: 10 }))).toBe('BAD_DATA');
    expect(code(() => createModel({ kind: '2nn' }, { shape: [0], numClasses: 10 }))).toBe('BAD_DATA');
    expect(code(() => createModel({ kind: '2nn' }, { shape: [4], numClasses: 0 }))).toBe('BAD_OPTION');
  });
});
