import { beforeAll, describe, expect, it } from '@jest/globals';
import { createCodec, createRng, decode, inspect } from '@fedzip/codec';
import { prototypes } from '../__tests__/synthetic.js';
import { initBackend } from '../backend.js';
import { ModelError } from '../errors.js';
import { type WeightLayout, getFlatWeights, weightLayout } from '../flat-weights.js';
import { applyMasks, magnitudeMasks } from '../prune/masks.js';
import { createModel } from '../zoo.js';
import { chunkScales, compressWeights, int8Chunk, kmeansChunk, valueStage } from './compress.js';

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof ModelError ? e.code : `other: ${(e as Error).message}`;
  }
  return 'none';
}

/** Checks |x − x̂| ≤ Δ/2 for every stored value, Δ its chunk's scale as stored in the message. */
function expectWithinHalfStep(original: Float32Array, bytes: Uint8Array, decoded: Float32Array): void {
  const { scales, chunk, positions, m } = chunkScales(bytes);
  expect(scales.length).toBe(chunk === 0 ? 1 : Math.ceil(m / chunk));
  let worst = 0;
  for (let j = 0; j < m; j++) {
    const i = positions === null ? j : positions[j]!;
    const delta = scales[chunk === 0 ? 0 : Math.floor(j / chunk)]!;
    const err = Math.abs(original[i]! - decoded[i]!);
    worst = Math.max(worst, err / delta);
    expect(err).toBeLessThanOrEqual((delta / 2) * (1 + 1e-6) + 1e-12);
  }
  expect(worst).toBeGreaterThan(0.3); // the check is not vacuous
}

let flat: Float32Array;
let layout: WeightLayout;
let pruned: Float32Array;

beforeAll(async () => {
  await initBackend();
  const data = prototypes(4, [8, 8, 1], 10, 1);
  const model = createModel({ kind: 'cnn', filters: [4, 8], dense: 32, kernelSize: 3 }, data, { seed: 5 });
  // Non-zero biases, as a trained model has.
  const rng = createRng(3);
  layout = weightLayout(model);
  flat = getFlatWeights(model);
  for (const e of layout.entries) {
    if (e.shape.length === 1)
      for (let i = e.offset; i < e.offset + e.size; i++) flat[i] = (rng.nextFloat() - 0.5) * 0.1;
  }
  applyMasks(model, magnitudeMasks(model, 0.8));
  pruned = getFlatWeights(model);
  for (const e of layout.entries)
    if (e.shape.length === 1) pruned.set(flat.subarray(e.offset, e.offset + e.size), e.offset);
  model.dispose();
});

describe('chunk choice', () => {
  it('gives int8 about one scale per output channel, as a power of two in [64, 4096]', () => {
    // cnn(4, 8, fc32) on 8×8×1: kernels 3·3·1·4, 3·3·4·8, 32·32, 32·10 → 4 + 8 + 32 + 10 channels.
    expect(layout.totalSize).toBe(36 + 4 + 288 + 8 + 1024 + 32 + 320 + 10);
    expect(int8Chunk(layout)).toBe(64); // 1722 / 54 = 31.9 → 16, clamped to 64
    const big: WeightLayout = {
      entries: [{ name: 'fc/kernel', shape: [784, 64], offset: 0, size: 50176 }],
      totalSize: 50176,
    };
    expect(int8Chunk(big)).toBe(512); // 784 values per channel
    expect(kmeansChunk(16)).toBe(4096);
    expect(kmeansChunk(256)).toBe(32768);
    expect(valueStage('int8', layout)).toBe('q8(chunk=64)');
    expect(valueStage('kmeans:16')).toBe('kmeans:16(chunk=4096)');
    expect(valueStage('none')).toBe('f32');
    expect(codeOf(() => valueStage('kmeans:1' as 'int8'))).toBe('BAD_OPTION');
  });
});

describe('compressWeights', () => {
  it('int8: every weight decodes within half a step of the stored scale, through the codec format', () => {
    const c = compressWeights(flat, layout, { quantize: 'int8' });
    expect(c.spec).toBe('q8(chunk=64)');
    expect(inspect(c.bytes).spec).toBe(c.spec);
    expect(decode(c.bytes)).toEqual(c.weights); // a client decodes the same weights
    expectWithinHalfStep(flat, c.bytes, c.weights);
    // About a quarter of float32, plus one scale per chunk.
    expect(c.bytes.length).toBeLessThan(flat.length * 1.1);
    expect(c.sparsity).toBe(0);
  });

  it('pruned int8: zeros stay exactly zero, stored sparsely with Rice-coded positions', () => {
    const c = compressWeights(pruned, layout, { quantize: 'int8' });
    expect(c.spec).toBe(`thresh:1e-45+q8(chunk=64)`);
    const info = inspect(c.bytes);
    expect(info.positions?.coding).toBe('rice');
    let zeros = 0;
    pruned.forEach((v, i) => {
      if (v === 0) {
        zeros++;
        expect(c.weights[i]).toBe(0);
      }
    });
    expect(info.kept).toBe(pruned.length - zeros); // exactly the non-zeros
    expect(c.sparsity).toBe(zeros / pruned.length);
    expect(zeros / pruned.length).toBeGreaterThan(0.6);
    expectWithinHalfStep(pruned, c.bytes, c.weights);
    const dense = createCodec('q8(chunk=64)').encode(pruned, 0);
    expect(c.bytes.length).toBeLessThan(dense.length);
  });

  it('k-means: weight sharing with at most k values per codebook, zeros kept exact', () => {
    const c = compressWeights(pruned, layout, { quantize: 'kmeans:16' });
    expect(c.spec).toBe('thresh:1e-45+kmeans:16(chunk=4096)');
    pruned.forEach((v, i) => {
      if (v === 0) expect(c.weights[i]).toBe(0);
    });
    const distinct = new Set(c.weights.subarray(0, 4096));
    expect(distinct.size).toBeLessThanOrEqual(17); // 16 centroids and 0
    const denseK = compressWeights(flat, layout, { quantize: 'kmeans:16' });
    expect(denseK.spec).toBe('kmeans:16(chunk=4096)');
    expect(denseK.bytes.length).toBeLessThan(flat.length * 0.6);
  });

  it('none is float32, dense or sparse; never/always force the form', () => {
    expect(compressWeights(flat, layout, { quantize: 'none' }).weights).toEqual(flat);
    const sparse = compressWeights(pruned, layout, { quantize: 'none' });
    expect(sparse.spec).toBe('thresh:1e-45');
    expect(sparse.weights).toEqual(pruned);
    expect(compressWeights(pruned, layout, { sparse: 'never' }).spec).toBe('q8(chunk=64)');
    expect(compressWeights(flat, layout, { sparse: 'always', chunk: 100 }).spec).toBe(
      'thresh:1e-45+q8(chunk=100)',
    );
    expect(codeOf(() => compressWeights(flat.subarray(1), layout))).toBe('LAYOUT_MISMATCH');
    expect(codeOf(() => compressWeights(flat, layout, { chunk: 0 }))).toBe('BAD_OPTION');
  });
});
