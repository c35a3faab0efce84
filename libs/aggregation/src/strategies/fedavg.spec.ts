import { describe, expect, it } from '@jest/globals';
import { createCodec } from '@fedzip/codec';
import { RoundCollector } from '../collector.js';
import { AggregationError } from '../errors.js';
import type { FitResults, Strategy } from '../strategy.js';
import { FedAvg, FedAvgM, FedProx } from './fedavg.js';

const codec = createCodec('none');
type Client = [id: string, samples: number, delta: number[]];

/** One round through the real collector: encode each delta, stream it, aggregate. */
function round(s: Strategy, r: number, global: Float32Array, clients: Client[]): Float32Array | null {
  const c = RoundCollector.for(s, global.length);
  for (const [clientId, numSamples, delta] of clients)
    c.add({ clientId, numSamples }, codec.encode(new Float32Array(delta), 0));
  return s.aggregate(r, global, c.results(), []);
}

// Three rounds of two clients; the sample-weighted means are [−1, 3], [2, 0] and [3, −2]
// (round 1: (1·[2, 0] + 3·[−2, 4]) / 4; unweighted it would be [0, 2]).
const rounds: Client[][] = [
  [
    ['a', 1, [2, 0]],
    ['b', 3, [-2, 4]],
  ],
  [
    ['a', 2, [1, 1]],
    ['b', 2, [3, -1]],
  ],
  [
    ['a', 3, [4, 0]],
    ['b', 1, [0, -8]],
  ],
];

function run(s: Strategy, w0: number[]): number[][] {
  let w: Float32Array = new Float32Array(w0);
  return rounds.map((clients, i) => {
    w = round(s, i + 1, w, clients)!;
    return Array.from(w);
  });
}

const mean = (m: number[], clients = 1): FitResults => ({
  kind: 'mean',
  clients: Array.from({ length: clients }, (_, i) => ({ clientId: `c${i}`, numSamples: 1 })),
  mean: new Float32Array(m),
  totalWeight: clients,
});

describe('FedAvg (McMahan et al. 2017)', () => {
  it('adds the sample-weighted mean delta each round (η = 1)', () => {
    expect(run(new FedAvg(), [1, 2])).toEqual([
      [0, 5],
      [2, 5],
      [5, 3],
    ]);
  });

  it('scales the step by the server learning rate (η = 0.5)', () => {
    expect(run(new FedAvg({ serverLr: 0.5 }), [1, 2])).toEqual([
      [0.5, 3.5],
      [1.5, 3.5],
      [3, 2.5],
    ]);
  });

  it('never mutates the global model it is given', () => {
    const g = new Float32Array([1, 2]);
    new FedAvg().aggregate(1, g, mean([1, 1]), []);
    expect(Array.from(g)).toEqual([1, 2]);
  });

  it('returns null below minResults, or on failures when acceptFailures is off', () => {
    const g = new Float32Array([1, 2]);
    expect(new FedAvg({ minResults: 2 }).aggregate(1, g, mean([1, 1], 1), [])).toBeNull();
    expect(new FedAvg({ minResults: 2 }).aggregate(1, g, mean([1, 1], 2), [])).not.toBeNull();
    const failure = { clientId: 'x', code: 'LATE' };
    expect(new FedAvg({ acceptFailures: false }).aggregate(1, g, mean([1, 1]), [failure])).toBeNull();
    expect(new FedAvg().aggregate(1, g, mean([1, 1]), [failure])).not.toBeNull();
  });

  it('returns null rather than a non-finite model', () => {
    const g = new Float32Array([3e38]);
    expect(new FedAvg().aggregate(1, g, mean([3e38]), [])).toBeNull();
  });

  it('throws BAD_RESULTS for results of the wrong shape or length', () => {
    const s = new FedAvg();
    const g = new Float32Array(2);
    expect(() => s.aggregate(1, g, mean([1, 2, 3]), [])).toThrow(AggregationError);
    expect(() => s.aggregate(1, g, { kind: 'per-client', clients: [] }, [])).toThrow(/needs 'mean'/);
  });

  it('is stateless: exports no arrays', () => {
    expect(new FedAvg().exportState()).toEqual({ strategy: 'fedavg', arrays: {} });
  });

  it('evaluates through the supplied function every N rounds; null otherwise', async () => {
    const calls: number[] = [];
    const s = new FedAvg({
      evaluateEvery: 2,
      evaluate: (r, w) => {
        calls.push(r);
        return { loss: w[0]!, metrics: { accuracy: 0.5 } };
      },
    });
    expect(await s.evaluate(1, new Float32Array([7]))).toBeNull();
    expect(await s.evaluate(2, new Float32Array([7]))).toEqual({ loss: 7, metrics: { accuracy: 0.5 } });
    expect(calls).toEqual([2]);
    expect(await new FedAvg().evaluate(2, new Float32Array(1))).toBeNull();
  });
});

describe('FedProx (Li et al. 2020)', () => {
  it('aggregates like FedAvg and sends proximalMu to the clients', () => {
    const s = new FedProx({ proximalMu: 0.01, fitConfig: { epochs: 1 } });
    expect(s.name).toBe('fedprox');
    expect(s.fitConfig(1)).toEqual({ epochs: 1, proximalMu: 0.01 });
    expect(run(s, [1, 2])).toEqual(run(new FedAvg(), [1, 2]));
    expect(new FedAvg().fitConfig(1)).toEqual({});
  });
});

describe('FedAvgM (Hsu et al. 2019)', () => {
  it('accumulates server momentum: v ← βv + Δ̄, w ← w + ηv (β = 0.5)', () => {
    // v = [−1, 3]; v = [−0.5, 1.5] + [2, 0] = [1.5, 1.5]; v = [0.75, 0.75] + [3, −2] = [3.75, −1.25]
    expect(run(new FedAvgM({ momentum: 0.5 }), [1, 2])).toEqual([
      [0, 5],
      [1.5, 6.5],
      [5.25, 5.25],
    ]);
  });

  it('with η = 0.5 halves every step', () => {
    expect(run(new FedAvgM({ momentum: 0.5, serverLr: 0.5 }), [1, 2])).toEqual([
      [0.5, 3.5],
      [1.25, 4.25],
      [3.125, 3.625],
    ]);
  });

  it('is FedAvg when β = 0', () => {
    expect(run(new FedAvgM({ momentum: 0 }), [1, 2])).toEqual(run(new FedAvg(), [1, 2]));
  });

  it('exports and imports its velocity; resuming matches an uninterrupted run', () => {
    const straight = run(new FedAvgM({ momentum: 0.5 }), [1, 2]);
    const first = new FedAvgM({ momentum: 0.5 });
    let w = round(first, 1, new Float32Array([1, 2]), rounds[0]!)!;
    w = round(first, 2, w, rounds[1]!)!;
    const state = first.exportState();
    expect(state).toEqual({ strategy: 'fedavgm', arrays: { velocity: new Float32Array([1.5, 1.5]) } });
    state.arrays['velocity']![0] = 99; // an export is a copy
    const resumed = new FedAvgM({ momentum: 0.5 });
    resumed.importState(first.exportState());
    expect(Array.from(round(resumed, 3, w, rounds[2]!)!)).toEqual(straight[2]);
  });

  it('leaves its state untouched when a round fails', () => {
    const s = new FedAvgM({ momentum: 0.5, minResults: 2 });
    s.aggregate(1, new Float32Array([0]), mean([1], 2), []);
    const before = s.exportState();
    expect(s.aggregate(2, new Float32Array([0]), mean([5], 1), [])).toBeNull(); // too few results
    expect(s.aggregate(2, new Float32Array([3e38]), mean([3e38], 2), [])).toBeNull(); // overflow
    expect(s.exportState()).toEqual(before);
  });

  it('refuses foreign or malformed state', () => {
    const s = new FedAvgM();
    expect(() => s.importState({ strategy: 'fedadam', arrays: {} })).toThrow(/cannot be imported/);
    expect(() => s.importState({ strategy: 'fedavgm', arrays: { v: new Float32Array(2) } })).toThrow(
      /missing: velocity/,
    );
    expect(() =>
      s.importState({ strategy: 'fedavgm', arrays: { velocity: new Float32Array([NaN]) } }),
    ).toThrow(/not finite/);
    s.importState({ strategy: 'fedavgm', arrays: { velocity: new Float32Array(3) } });
    expect(() => s.aggregate(1, new Float32Array(2), mean([1, 1]), [])).toThrow(/the model has 2/);
    s.importState({ strategy: 'fedavgm', arrays: {} }); // back to the initial state
    expect(s.aggregate(1, new Float32Array(2), mean([1, 1]), [])).not.toBeNull();
  });

  it('validates its options', () => {
    expect(() => new FedAvgM({ momentum: 1 })).toThrow(/momentum/);
    expect(() => new FedAvg({ serverLr: 0 })).toThrow(/serverLr/);
    expect(() => new FedAvg({ minResults: 0 })).toThrow(/minResults/);
  });
});
