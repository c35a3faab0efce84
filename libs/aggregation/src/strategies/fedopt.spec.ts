import { describe, expect, it } from '@jest/globals';
import type { FitResults, Strategy } from '../strategy.js';
import { FEDOPT_DEFAULTS, FedAdagrad, FedAdam, FedYogi } from './fedopt.js';

const approx = (xs: number[], digits = 6) => xs.map((x) => expect.closeTo(x, digits));
const mean = (m: number[]): FitResults => ({
  kind: 'mean',
  clients: [{ clientId: 'a', numSamples: 1 }],
  mean: new Float32Array(m),
  totalWeight: 1,
});

/** Runs rounds of the given mean deltas from w0; returns the weights after each. */
function run(s: Strategy, w0: number[], deltas: number[][]): number[][] {
  let w: Float32Array = new Float32Array(w0);
  return deltas.map((d, i) => {
    w = s.aggregate(i + 1, w, mean(d), [])!;
    return Array.from(w);
  });
}

describe('FedAdam (Reddi et al. 2021)', () => {
  it('hand-computed, β1 = 0.5, β2 = 0, τ = 1 (v₀ = τ²), η = 1', () => {
    // m = [1.5, −0.5], v = [9, 1]: w += [1.5/4, −0.5/2]
    // m = [1.25, 0.25], v = [1, 1]: w += [0.625, 0.125]
    // Δ = 0: m = [0.625, 0.125], v = [0, 0]: w += m / (0 + 1), momentum carries on
    const s = new FedAdam({ serverLr: 1, beta1: 0.5, beta2: 0, tau: 1 });
    expect(
      run(
        s,
        [1, 2],
        [
          [3, -1],
          [1, 1],
          [0, 0],
        ],
      ),
    ).toEqual([
      [1.375, 1.75],
      [2, 1.875],
      [2.625, 2],
    ]);
  });

  it('with the defaults η = 0.1, β1 = 0.9, β2 = 0.99, τ = 1e-3', () => {
    const s = new FedAdam();
    expect(s.params).toEqual({ eta: 0.1, beta1: 0.9, beta2: 0.99, tau: 1e-3 });
    const [w1, w2] = run(
      s,
      [0, 0],
      [
        [1, 0],
        [1, 0],
      ],
    );
    // round 1: m = 0.1, v = 0.99·1e-6 + 0.01
    const v1 = 0.99 * 1e-6 + 0.01;
    expect(w1).toEqual(approx([(0.1 * 0.1) / (Math.sqrt(v1) + 1e-3), 0]));
    // round 2: m = 0.09 + 0.1 = 0.19, v = 0.99·v1 + 0.01
    const v2 = 0.99 * v1 + 0.01;
    expect(w2).toEqual(approx([w1![0]! + (0.1 * 0.19) / (Math.sqrt(v2) + 1e-3), 0]));
  });
});

describe('FedYogi (Reddi et al. 2021)', () => {
  it('hand-computed, β1 = β2 = 0.5, τ = 1, η = 1', () => {
    // v = [1 + 8, 1] , m = [2, 0.5]:        w = [0.5, 0.25]
    // v = [9, 1 + 8], m = [1, 2.25]:        w += [1/4, 2.25/4]
    // v = [9 − 2, 9] (v > Δ²: shrinks), m = [1.5, 1.125]: w += [1.5/(√7 + 1), 1.125/4]
    const s = new FedYogi({ serverLr: 1, beta1: 0.5, beta2: 0.5, tau: 1 });
    expect(
      run(
        s,
        [0, 0],
        [
          [4, 1],
          [0, 4],
          [2, 0],
        ],
      ),
    ).toEqual([
      approx([0.5, 0.25]),
      approx([0.75, 0.8125]),
      approx([0.75 + 1.5 / (Math.sqrt(7) + 1), 1.09375]),
    ]);
    expect(Array.from(s.exportState().arrays['v']!)).toEqual([7, 9]);
  });

  it('defaults to η = 0.01, β1 = 0.9, β2 = 0.99, τ = 1e-3', () => {
    expect(new FedYogi().params).toEqual({ eta: 0.01, beta1: 0.9, beta2: 0.99, tau: 1e-3 });
  });
});

describe('FedAdagrad (Reddi et al. 2021)', () => {
  it('hand-computed, β1 = 0 (default), τ = 3 (v₀ = 9), η = 1', () => {
    // v = [25, 9]: w += [4/8, 0]; v = [169, 25]: w += [12/16, −4/8]; Δ = 0 moves nothing
    const s = new FedAdagrad({ serverLr: 1, tau: 3 });
    expect(
      run(
        s,
        [0, 0],
        [
          [4, 0],
          [12, -4],
          [0, 0],
        ],
      ),
    ).toEqual([
      [0.5, 0],
      [1.25, -0.5],
      [1.25, -0.5],
    ]);
    expect(s.exportState().arrays).toEqual({ m: new Float32Array([0, 0]), v: new Float32Array([169, 25]) });
  });

  it('defaults to η = 0.1, β1 = 0, τ = 1e-3', () => {
    expect(new FedAdagrad().params).toMatchObject({ eta: 0.1, beta1: 0, tau: 1e-3 });
    expect(FEDOPT_DEFAULTS.adagrad).toMatchObject({ eta: 0.1, beta1: 0, tau: 1e-3 });
  });
});

describe('FedOpt state', () => {
  const deltas = [
    [0.5, -1, 0.25],
    [0.25, 0.5, -2],
    [-1, 0.125, 0.5],
  ];

  it.each([() => new FedAdam(), () => new FedYogi(), () => new FedAdagrad()])(
    'export after two rounds + import into a fresh strategy = an uninterrupted run (%#)',
    (make) => {
      const straight = run(make(), [1, 2, 3], deltas);
      const first = make();
      const [, w2] = run(first, [1, 2, 3], deltas.slice(0, 2));
      const state = first.exportState();
      expect(Object.keys(state.arrays).sort()).toEqual(['m', 'v']);
      expect(state.arrays['m']).toBeInstanceOf(Float32Array);
      const resumed = make();
      resumed.importState(state);
      const w3 = resumed.aggregate(3, new Float32Array(w2!), mean(deltas[2]!), []);
      expect(Array.from(w3!)).toEqual(straight[2]);
    },
  );

  it('exports nothing before the first round; starts v at τ²', () => {
    const s = new FedAdam({ tau: 0.5 });
    expect(s.exportState()).toEqual({ strategy: 'fedadam', arrays: {} });
    s.aggregate(1, new Float32Array(1), mean([0]), []);
    // Δ = 0: v = β2 τ² = 0.99 · 0.25
    expect(s.exportState().arrays['v']![0]).toBeCloseTo(0.2475, 7);
  });

  it('refuses arrays of different lengths and state of another variant', () => {
    const s = new FedYogi();
    expect(() =>
      s.importState({ strategy: 'fedyogi', arrays: { m: new Float32Array(2), v: new Float32Array(3) } }),
    ).toThrow(/has 3 elements, not 2/);
    expect(() => s.importState({ ...new FedAdam().exportState() })).toThrow(/cannot be imported/);
  });

  it('validates β and τ', () => {
    expect(() => new FedAdam({ beta1: 1 })).toThrow(/beta1/);
    expect(() => new FedYogi({ beta2: -0.1 })).toThrow(/beta2/);
    expect(() => new FedAdagrad({ tau: 0 })).toThrow(/tau/);
  });
});
