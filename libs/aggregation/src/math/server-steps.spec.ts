import { describe, expect, it } from '@jest/globals';
import { fedAvgMStep, fedAvgStep, fedOptStep } from './server-steps.js';

const f32 = (...xs: number[]) => new Float32Array(xs);
const approx = (xs: number[], digits = 6) => xs.map((x) => expect.closeTo(x, digits));

describe('fedAvgStep', () => {
  it('adds η times the mean delta: [1, 2] + 0.5·[4, −2] = [3, 1]', () => {
    expect(Array.from(fedAvgStep(f32(1, 2), f32(4, -2), 0.5, new Float32Array(2)))).toEqual([3, 1]);
  });

  it('may write in place', () => {
    const w = f32(1, 2);
    fedAvgStep(w, f32(1, 1), 1, w);
    expect(Array.from(w)).toEqual([2, 3]);
  });
});

describe('fedAvgMStep', () => {
  it('follows v ← βv + Δ, w ← w + ηv (β = 0.5, η = 1)', () => {
    const w = f32(0, 0);
    const v = f32(0, 0);
    fedAvgMStep(w, f32(2, -4), v, 1, 0.5, w, v); // v = [2, −4]
    expect(Array.from(v)).toEqual([2, -4]);
    expect(Array.from(w)).toEqual([2, -4]);
    fedAvgMStep(w, f32(2, 2), v, 1, 0.5, w, v); // v = [1, −2] + [2, 2] = [3, 0]
    expect(Array.from(v)).toEqual([3, 0]);
    expect(Array.from(w)).toEqual([5, -4]);
  });
});

describe('fedOptStep (Reddi et al. 2021, Algorithm 2)', () => {
  const run = (variant: 'adam' | 'yogi' | 'adagrad', p: Parameters<typeof fedOptStep>[5], v0: number) => {
    const w = f32(0, 0);
    const m = f32(0, 0);
    const v = f32(v0, v0);
    return (delta: number[]) => {
      fedOptStep(variant, w, f32(...delta), m, v, p, w, m, v);
      return { w: Array.from(w), m: Array.from(m), v: Array.from(v) };
    };
  };

  it('Adam with β1 = 0.5, β2 = 0, τ = 1, η = 1 (v₀ = τ² = 1)', () => {
    const step = run('adam', { eta: 1, beta1: 0.5, beta2: 0, tau: 1 }, 1);
    // m = [1.5, −0.5], v = Δ² = [9, 1], w = [1.5/(3+1), −0.5/(1+1)]
    expect(step([3, -1])).toEqual({ w: [0.375, -0.25], m: [1.5, -0.5], v: [9, 1] });
    // m = [0.75 + 0.5, −0.25 + 0.5] = [1.25, 0.25], v = [1, 1], w += [1.25/2, 0.25/2]
    expect(step([1, 1])).toEqual({ w: [1, -0.125], m: [1.25, 0.25], v: [1, 1] });
  });

  it('Adam with β2 > 0 averages the second moment: v = β2 v + (1 − β2) Δ²', () => {
    const step = run('adam', { eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-3 }, 1e-6);
    const v1 = 0.99 * 1e-6 + 0.01 * 4; // Δ = 2
    const r = step([2, 0]);
    expect(r.v).toEqual(approx([v1, 0.99e-6], 9)); // stored as float32
    expect(r.m).toEqual(approx([0.2, 0], 7));
    expect(r.w).toEqual(approx([(0.1 * 0.2) / (Math.sqrt(v1) + 1e-3), 0], 6));
  });

  it('Yogi moves v towards Δ² by (1 − β2)Δ², never past it (β1 = β2 = 0.5, τ = 1, η = 1)', () => {
    const step = run('yogi', { eta: 1, beta1: 0.5, beta2: 0.5, tau: 1 }, 1);
    // Δ² = [16, 1]: v = 1 + 0.5·16 = 9 (v < Δ²), v = 1 − 0 = 1 (v = Δ², sign 0); m = [2, 0.5]
    expect(step([4, 1])).toEqual({ w: [0.5, 0.25], m: [2, 0.5], v: [9, 1] });
    // Δ² = [0, 16]: v = 9 − 0 = 9, v = 1 + 8 = 9; m = [1, 2.25]; w += [1/4, 2.25/4]
    expect(step([0, 4])).toEqual({ w: [0.75, 0.8125], m: [1, 2.25], v: [9, 9] });
    // Δ² = [4, 0]: v > Δ² so v = 9 − 0.5·4 = 7 (Adam would give 6.5); m = [1.5, 1.125]
    const r = step([2, 0]);
    expect(r.v).toEqual([7, 9]);
    expect(r.m).toEqual([1.5, 1.125]);
    expect(r.w).toEqual(approx([0.75 + 1.5 / (Math.sqrt(7) + 1), 0.8125 + 1.125 / 4]));
  });

  it('Adagrad sums squares: v = v + Δ² (β1 = 0, τ = 3, η = 1, v₀ = 9)', () => {
    const step = run('adagrad', { eta: 1, beta1: 0, beta2: 0, tau: 3 }, 9);
    // v = [25, 9]; w += [4/(5+3), 0/(3+3)]
    expect(step([4, 0])).toEqual({ w: [0.5, 0], m: [4, 0], v: [25, 9] });
    // v = [169, 25]; w += [12/(13+3), −4/(5+3)]
    expect(step([12, -4])).toEqual({ w: [1.25, -0.5], m: [12, -4], v: [169, 25] });
    // no momentum: a zero delta does not move w
    expect(step([0, 0])).toEqual({ w: [1.25, -0.5], m: [0, 0], v: [169, 25] });
  });
});
