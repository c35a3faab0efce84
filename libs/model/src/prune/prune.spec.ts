import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { prototypes } from '../__tests__/synthetic.js';
import { initBackend } from '../backend.js';
import { ModelError } from '../errors.js';
import { getFlatWeights, weightLayout } from '../flat-weights.js';
import { trainAugmented } from '../distill/distill.js';
import { trainLocal } from '../training.js';
import { type ModelConfig, createModel } from '../zoo.js';
import { MaskApplier, applyMasks, kernelsOf, magnitudeMasks } from './masks.js';
import { gradualSchedule, pruneModel } from './prune.js';
import { formatSensitivityTable, sensitivityAnalysis } from './sensitivity.js';

const shape = [6, 6, 1] as const;
const data = prototypes(96, shape, 3, 2, 0.6);
const mlp: ModelConfig = { kind: 'mlp', hidden: [16, 8] };
const cnn: ModelConfig = { kind: 'cnn', filters: [2, 3], dense: 8, kernelSize: 3 };

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof ModelError ? e.code : `other: ${(e as Error).message}`;
  }
  return 'none';
}

/** Flat indices of the values each kernel mask prunes. */
function prunedIndices(model: tf.LayersModel, masks: ReturnType<typeof magnitudeMasks>): number[] {
  const layout = weightLayout(model);
  const out: number[] = [];
  for (const layer of masks.layers) {
    const offset = layout.entries[layer.index]!.offset;
    layer.keep.forEach((k, i) => {
      if (k === 0) out.push(offset + i);
    });
  }
  return out;
}

beforeAll(async () => {
  await initBackend();
});

describe('gradualSchedule (Zhu & Gupta 2017)', () => {
  it('follows s_t = s_f + (s_i − s_f)(1 − t/n)³ and ends at s_f', () => {
    const s = gradualSchedule({ final: 0.8, steps: 4 });
    expect(s).toHaveLength(4);
    s.forEach((v, i) => expect(v).toBeCloseTo(0.8 * (1 - (1 - (i + 1) / 4) ** 3), 12));
    expect(s[3]).toBe(0.8);
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
    expect(gradualSchedule({ initial: 0.5, final: 0.9, steps: 2 })).toEqual([0.9 - 0.4 / 8, 0.9]);
    expect(gradualSchedule({ final: 0.5, steps: 1 })).toEqual([0.5]);
    expect(codeOf(() => gradualSchedule({ final: 1, steps: 2 }))).toBe('BAD_OPTION');
    expect(codeOf(() => gradualSchedule({ final: 0.5, steps: 0 }))).toBe('BAD_OPTION');
  });
});

describe('magnitudeMasks', () => {
  it('prunes exactly round(s·size) of each kernel, the smallest magnitudes, and never a bias', () => {
    const model = createModel(mlp, data, { seed: 1 });
    const masks = magnitudeMasks(model, 0.6);
    const kernels = kernelsOf(model);
    expect(masks.layers.map((l) => l.name)).toEqual(kernels.map((k) => k.name));
    expect(masks.layers.every((l) => l.name.endsWith('/kernel'))).toBe(true);
    masks.layers.forEach((l, i) => {
      const values = kernels[i]!.values;
      expect(l.pruned).toBe(Math.round(0.6 * values.length));
      let maxPruned = 0;
      let minKept = Infinity;
      values.forEach((v, j) => {
        if (l.keep[j] === 0) maxPruned = Math.max(maxPruned, Math.abs(v));
        else minKept = Math.min(minKept, Math.abs(v));
      });
      expect(maxPruned).toBeLessThanOrEqual(minKept);
    });
    const total = kernels.reduce((a, k) => a + k.values.length, 0);
    expect(masks.sparsity).toBeCloseTo(masks.layers.reduce((a, l) => a + l.pruned, 0) / total, 12);
    model.dispose();
  });

  it('uses one threshold over all kernels in the global scope, and per-layer sparsities by name', () => {
    const model = createModel(mlp, data, { seed: 1 });
    const global = magnitudeMasks(model, 0.5, 'global');
    const kernels = kernelsOf(model);
    const total = kernels.reduce((a, k) => a + k.values.length, 0);
    expect(global.layers.reduce((a, l) => a + l.pruned, 0)).toBe(Math.round(0.5 * total));
    let maxPruned = 0;
    let minKept = Infinity;
    global.layers.forEach((l, i) =>
      kernels[i]!.values.forEach((v, j) => {
        if (l.keep[j] === 0) maxPruned = Math.max(maxPruned, Math.abs(v));
        else minKept = Math.min(minKept, Math.abs(v));
      }),
    );
    expect(maxPruned).toBeLessThanOrEqual(minKept);
    const one = magnitudeMasks(model, { 'dense2/kernel': 0.75 });
    expect(one.layers.map((l) => l.name)).toEqual(['dense2/kernel']);
    expect(one.layers[0]!.pruned).toBe(Math.round(0.75 * 16 * 8));
    expect(codeOf(() => magnitudeMasks(model, { nope: 0.5 }))).toBe('BAD_OPTION');
    expect(codeOf(() => magnitudeMasks(model, 1))).toBe('BAD_OPTION');
    expect(codeOf(() => magnitudeMasks(model, { 'dense1/kernel': 0.5 }, 'global'))).toBe('BAD_OPTION');
    model.dispose();
  });
});

describe('pruning keeps pruned weights at zero', () => {
  it.each(['adam', 'momentum'] as const)(
    'through fine-tuning with %s (masks re-applied after every step)',
    async (optimizer) => {
      const model = createModel(cnn, data, { seed: 2 });
      await trainAugmented(model, data, { lr: 0.01, epochs: 2, batchSize: 16 });
      const masks = magnitudeMasks(model, 0.7);
      const pruned = prunedIndices(model, masks);
      const applier = new MaskApplier(model, masks);
      const afterMask = getFlatWeights(model);
      expect(pruned.every((i) => afterMask[i] === 0)).toBe(true);
      const before = tf.memory().numTensors;
      await trainAugmented(model, data, {
        optimizer,
        lr: 0.05,
        epochs: 3,
        batchSize: 16,
        shiftPixels: 1,
        afterStep: () => applier.apply(),
      });
      expect(tf.memory().numTensors).toBe(before);
      applier.dispose();
      const tuned = getFlatWeights(model);
      expect(pruned.every((i) => tuned[i] === 0)).toBe(true);
      // Fine-tuning did move the kept weights.
      const moved = [...tuned.keys()].filter((i) => !pruned.includes(i) && tuned[i] !== afterMask[i]);
      expect(moved.length).toBeGreaterThan(0);
      model.dispose();
    },
  );

  it('without the masks, fine-tuning would revive them (the control)', async () => {
    const model = createModel(cnn, data, { seed: 2 });
    const masks = magnitudeMasks(model, 0.7);
    applyMasks(model, masks);
    await trainLocal(model, data, { optimizer: 'adam', lr: 0.05, epochs: 1, batchSize: 16 });
    const w = getFlatWeights(model);
    expect(prunedIndices(model, masks).some((i) => w[i] !== 0)).toBe(true);
    model.dispose();
  });

  it('pruneModel reaches the target along the gradual schedule with fine-tuning and L1, leak free', async () => {
    const model = createModel(cnn, data, { seed: 3 });
    await trainAugmented(model, data, { lr: 0.01, epochs: 2, batchSize: 16 });
    const before = tf.memory().numTensors;
    const steps: number[] = [];
    const result = await pruneModel(model, {
      sparsity: 0.6,
      steps: 3,
      fineTuneEpochs: 1,
      data,
      training: { lr: 0.01, batchSize: 16, l1: 1e-4, optimizer: 'adam' },
      onStep: (s) => steps.push(s.target),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(steps).toEqual(gradualSchedule({ final: 0.6, steps: 3 }));
    expect(result.steps.every((s) => s.fineTune !== null)).toBe(true);
    const w = getFlatWeights(model);
    expect(prunedIndices(model, result.masks).every((i) => w[i] === 0)).toBe(true);
    result.masks.layers.forEach((l) => {
      const size = l.keep.length;
      expect(l.pruned).toBe(Math.round(0.6 * size));
    });
    model.dispose();
  });
});

describe('sensitivityAnalysis', () => {
  it('returns one row per kernel and one column per sparsity, and leaves the model as it was', async () => {
    const model = createModel(mlp, data, { seed: 4 });
    await trainAugmented(model, data, { lr: 0.01, epochs: 4, batchSize: 16 });
    const original = getFlatWeights(model);
    const before = tf.memory().numTensors;
    const sparsities = [0.25, 0.5, 0.9];
    const result = await sensitivityAnalysis(model, data, { sparsities });
    expect(tf.memory().numTensors).toBe(before);
    expect(getFlatWeights(model)).toEqual(original);
    expect(result.sparsities).toEqual(sparsities);
    expect(result.rows.map((r) => r.layer)).toEqual(['dense1/kernel', 'dense2/kernel', 'logits/kernel']);
    for (const row of result.rows) {
      expect(row.accuracy).toHaveLength(3);
      expect(row.drop).toHaveLength(3);
      row.drop.forEach((d, i) => expect(d).toBeCloseTo(result.baseline - row.accuracy[i]!, 12));
    }
    const text = formatSensitivityTable(result).split('\n');
    expect(text).toHaveLength(2 + result.rows.length);
    expect(text[1]).toMatch(/layer\s+weights\s+25%\s+50%\s+90%/);
    expect(text[2]).toMatch(/^dense1\/kernel\s+576\s/);
    model.dispose();
  });
});
