import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { expectCodecError, gaussian } from '../__tests__/helpers.js';
import { ResidualMemory, encodeWithFeedback } from './residual-memory.js';

const SPECS = [
  'topk:0.1+q8',
  'topk:0.05+sign',
  'randk:0.2+sq4',
  'approx-topk:0.1',
  'q2',
  'ternary',
  'kmeans:4',
  'none',
];

describe('error feedback: p = Δ + e, send C(p), e ← p − decode(C(p))', () => {
  it('the compensated update equals decoded + new residual (float tolerance), round after round', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPECS),
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 4 }),
        (spec, n, seed, rounds) => {
          const codec = createCodec(spec);
          const memory = new ResidualMemory(n);
          for (let r = 0; r < rounds; r++) {
            const delta = gaussian(n, seed + r, 0.01);
            const p = Float32Array.from(delta, (d, i) => d + memory.residual[i]!);
            const sent = decode(encodeWithFeedback(codec, delta, memory, seed + 100 * r));
            let worst = 0; // error in units of the tolerance
            for (let i = 0; i < n; i++) {
              const tol = 2 ** -23 * Math.max(Math.abs(p[i]!), Math.abs(sent[i]!)) + 1e-45;
              worst = Math.max(worst, Math.abs(sent[i]! + memory.residual[i]! - p[i]!) / tol);
            }
            expect(worst).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('loses nothing over rounds: Σ sent + final residual = Σ Δ (top-k 1% keeps only 1% a round)', () => {
    const n = 2000;
    const codec = createCodec('topk:0.01+q8');
    const memory = new ResidualMemory(n);
    const sumDelta = new Float64Array(n);
    const sumSent = new Float64Array(n);
    for (let r = 0; r < 30; r++) {
      const delta = gaussian(n, r, 0.01);
      const sent = decode(encodeWithFeedback(codec, delta, memory, r));
      for (let i = 0; i < n; i++) {
        sumDelta[i]! += delta[i]!;
        sumSent[i]! += sent[i]!;
      }
    }
    let err = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      err = Math.max(err, Math.abs(sumSent[i]! + memory.residual[i]! - sumDelta[i]!));
      scale = Math.max(scale, Math.abs(sumDelta[i]!));
    }
    expect(err).toBeLessThan(1e-5 * scale * 30);
    expect(memory.norm()).toBeGreaterThan(0);
  });

  it('keeps Δ intact, starts from an initial residual, resets, and checks shapes', () => {
    const delta = Float32Array.of(1, -2, 3);
    const memory = new ResidualMemory(3, Float32Array.of(0.5, 0, 0));
    const p = memory.compensate(delta);
    expect(Array.from(p)).toEqual([1.5, -2, 3]);
    expect(Array.from(delta)).toEqual([1, -2, 3]);
    memory.update(p, Float32Array.of(1.5, 0, 3));
    expect(Array.from(memory.residual)).toEqual([0, -2, 0]);
    expect(memory.norm()).toBe(2);
    memory.reset();
    expect(memory.norm()).toBe(0);
    expectCodecError(() => new ResidualMemory(2, Float32Array.of(1)), 'SHAPE_MISMATCH');
    expectCodecError(() => memory.compensate(new Float32Array(4)), 'SHAPE_MISMATCH');
    expectCodecError(() => memory.update(new Float32Array(3), new Float32Array(2)), 'SHAPE_MISMATCH');
  });
});
