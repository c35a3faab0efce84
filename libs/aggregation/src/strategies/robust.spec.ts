import { describe, expect, it } from '@jest/globals';
import { createRng } from '@fedzip/codec';
import { l2Norm } from '../math/vector.js';
import type { ClientUpdate, FitResults, Strategy } from '../strategy.js';
import { FedAvg } from './fedavg.js';
import { NormClipping } from './norm-clipping.js';
import { CenteredClipping, FedMedian, FedTrimmedMean, Krum } from './robust.js';

const perClient = (deltas: number[][], samples?: number[]): FitResults => ({
  kind: 'per-client',
  clients: deltas.map((d, i) => ({
    clientId: `c${i}`,
    numSamples: samples?.[i] ?? 1,
    delta: new Float32Array(d),
  })),
});
const approx = (xs: number[], digits = 6) => xs.map((x) => expect.closeTo(x, digits));
const agg = (s: Strategy, global: number[], deltas: number[][], samples?: number[]) => {
  const w = s.aggregate(1, new Float32Array(global), perClient(deltas, samples), []);
  return w && Array.from(w);
};

describe('FedMedian (Yin et al. 2018)', () => {
  it('adds the coordinate-wise median delta, whatever the sample counts claim', () => {
    const deltas = [
      [1, 10],
      [2, 20],
      [100, -5],
    ];
    expect(agg(new FedMedian(), [1, 1], deltas, [1, 1, 1000])).toEqual([3, 11]);
    expect(agg(new FedMedian({ serverLr: 0.5 }), [1, 1], deltas)).toEqual([2, 6]);
  });
});

describe('FedTrimmedMean (Yin et al. 2018)', () => {
  it('trims ⌊βn⌋ per end and averages the rest (β = 0.2, n = 5)', () => {
    const deltas = [
      [1, -50],
      [100, 1],
      [3, 1],
      [2, 7],
      [4, 1],
    ];
    expect(agg(new FedTrimmedMean({ beta: 0.2 }), [0, 0], deltas)).toEqual([3, 1]);
    expect(new FedTrimmedMean().beta).toBe(0.2);
    expect(() => new FedTrimmedMean({ beta: 0.5 })).toThrow(/beta/);
  });
});

describe('Krum (Blanchard et al. 2017)', () => {
  const points = [[0], [1], [2], [10], [11]];

  it('Krum adds the best-scored delta; Multi-Krum the mean of the m best', () => {
    const krum = new Krum({ byzantine: 1 });
    expect(agg(krum, [5], points)).toEqual([6]);
    expect(krum.lastSelected).toEqual([1]);
    expect(agg(new Krum({ byzantine: 1, multi: 3 }), [5], points)).toEqual([6]); // mean of 1, 0, 2
    expect(agg(new Krum({ byzantine: 1, multi: 2 }), [0], points)).toEqual([0.5]); // mean of 1, 0
  });

  it('returns null with fewer than 2f + 3 results', () => {
    expect(agg(new Krum({ byzantine: 1 }), [0], points.slice(0, 4))).toBeNull();
    expect(() => new Krum({ byzantine: -1 })).toThrow(/byzantine/);
    expect(() => new Krum({ byzantine: 1, multi: 0 })).toThrow(/multi/);
  });
});

describe('CenteredClipping (Karimireddy et al. 2021)', () => {
  it('clips around the previous aggregate, kept as exportable state', () => {
    const s = new CenteredClipping({ radius: 1 });
    // from center 0: ([3, 4]·0.2 + [0.6, 0.8]) / 2 = [0.6, 0.8]
    expect(
      agg(
        s,
        [0, 0],
        [
          [3, 4],
          [0.6, 0.8],
        ],
      ),
    ).toEqual(approx([0.6, 0.8]));
    expect(Array.from(s.exportState().arrays['center']!)).toEqual(approx([0.6, 0.8]));
    // from center [0.6, 0.8]: step ([3, 4]·0.2 + 0) / 2 = [0.3, 0.4]
    const w = s.aggregate(
      2,
      new Float32Array(2),
      perClient([
        [3.6, 4.8],
        [0.6, 0.8],
      ]),
      [],
    );
    expect(Array.from(w!)).toEqual(approx([0.9, 1.2]));
    const copy = new CenteredClipping({ radius: 1 });
    copy.importState(s.exportState());
    expect(copy.exportState()).toEqual(s.exportState());
  });
});

describe('robustness to sign-flipped large updates (2 attackers of 10)', () => {
  // A toy task: honest clients step halfway to w* (plus noise); 2 attackers send −5 × that step
  // and claim 10× the samples. Ten rounds from w = 0.
  const d = 20;
  const rng = createRng(2024);
  const target = Float32Array.from({ length: d }, () => rng.nextFloat() * 2 - 1);
  const noise = (r: ReturnType<typeof createRng>) => (r.nextFloat() - 0.5) * 0.02;

  function train(s: Strategy): number {
    const r = createRng(99);
    let w: Float32Array = new Float32Array(d);
    for (let round = 1; round <= 10; round++) {
      const clients: ClientUpdate[] = [];
      for (let k = 0; k < 10; k++) {
        const attacker = k < 2;
        const delta = new Float32Array(d);
        for (let i = 0; i < d; i++) {
          const honest = 0.5 * (target[i]! - w[i]!) + noise(r);
          delta[i] = attacker ? -5 * honest : honest;
        }
        clients.push({ clientId: `c${k}`, numSamples: attacker ? 1000 : 100, delta });
      }
      const results: FitResults =
        s.needs === 'mean'
          ? {
              kind: 'mean',
              clients,
              mean: weighted(clients),
              totalWeight: clients.reduce((t, c) => t + c.numSamples, 0),
            }
          : { kind: 'per-client', clients };
      w = s.aggregate(round, w, results, []) ?? w;
    }
    const err = new Float32Array(d).map((_, i) => w[i]! - target[i]!);
    return l2Norm(err) / l2Norm(target);
  }

  function weighted(clients: readonly ClientUpdate[]): Float32Array {
    const out = new Float32Array(d);
    const total = clients.reduce((t, c) => t + c.numSamples, 0);
    for (const c of clients) for (let i = 0; i < d; i++) out[i]! += (c.numSamples / total) * c.delta[i]!;
    return out;
  }

  it('FedAvg is dragged away from the target; every robust strategy converges', () => {
    const honestOnly = 0.5 ** 10; // the error contraction without attackers
    expect(train(new FedAvg())).toBeGreaterThan(100);
    const robust: Strategy[] = [
      new FedMedian(),
      new FedTrimmedMean({ beta: 0.2 }),
      new Krum({ byzantine: 2 }),
      new Krum({ byzantine: 2, multi: 6 }),
      new CenteredClipping({ radius: 0.1, iterations: 3 }),
      new NormClipping(new FedAvg(), { medianMultiple: 1.5, action: 'reject' }),
    ];
    for (const s of robust) {
      const err = train(s);
      expect([s.name, err < 0.05]).toEqual([s.name, true]);
    }
    expect(honestOnly).toBeLessThan(0.001);
  });
});
