import { describe, expect, it } from '@jest/globals';
import { createCodec, createRng } from '@fedzip/codec';
import { RoundCollector } from '../collector.js';
import type { FitResults } from '../strategy.js';
import { FedAvg, FedAvgM } from './fedavg.js';
import { NormClipping } from './norm-clipping.js';
import { FedMedian } from './robust.js';

const approx = (xs: number[], digits = 6) => xs.map((x) => expect.closeTo(x, digits));
const perClient = (deltas: number[][], samples?: number[]): FitResults => ({
  kind: 'per-client',
  clients: deltas.map((d, i) => ({
    clientId: `c${i}`,
    numSamples: samples?.[i] ?? 1,
    delta: new Float32Array(d),
  })),
});

describe('NormClipping, fixed bound', () => {
  it('keeps the inner needs and asks the collector to clip while streaming', () => {
    const s = new NormClipping(new FedAvg(), { maxNorm: 1 });
    expect(s.name).toBe('clip(fedavg)');
    expect(s.needs).toBe('mean');
    expect(s.clipNorm).toBe(1);
    const c = RoundCollector.for(s, 2);
    const codec = createCodec('none');
    c.add({ clientId: 'a', numSamples: 1 }, codec.encode(new Float32Array([30, 40]), 0)); // → [0.6, 0.8]
    c.add({ clientId: 'b', numSamples: 3 }, codec.encode(new Float32Array([0, 0.4]), 0)); // kept
    // (1·[0.6, 0.8] + 3·[0, 0.4]) / 4 = [0.15, 0.5]
    expect(Array.from(s.aggregate(1, new Float32Array(2), c.results(), [])!)).toEqual(approx([0.15, 0.5]));
  });

  it('refuses results that were not clipped to its bound', () => {
    const s = new NormClipping(new FedAvg(), { maxNorm: 1 });
    const unclipped: FitResults = { kind: 'mean', clients: [], mean: new Float32Array(2), totalWeight: 0 };
    expect(() => s.aggregate(1, new Float32Array(2), unclipped, [])).toThrow(/clipped to norm 1/);
    expect(() => s.aggregate(1, new Float32Array(2), { ...unclipped, clipNorm: 2 }, [])).toThrow(/clipped/);
  });

  it('delegates selection, fit config and state to the inner strategy', () => {
    const inner = new FedAvgM({ momentum: 0.5, clientsPerRound: 2, fitConfig: { epochs: 2 } });
    const s = new NormClipping(inner, { maxNorm: 10 });
    expect(s.configureRound(1, ['a', 'b', 'c'], createRng(3))).toEqual(
      inner.configureRound(1, ['a', 'b', 'c'], createRng(3)),
    );
    expect(s.fitConfig(1)).toEqual({ epochs: 2 });
    s.aggregate(
      1,
      new Float32Array(1),
      {
        kind: 'mean',
        clients: [{ clientId: 'a', numSamples: 1 }],
        mean: new Float32Array([2]),
        totalWeight: 1,
        clipNorm: 10,
      },
      [],
    );
    const state = s.exportState();
    expect(state).toEqual({ strategy: 'clip(fedavgm)', arrays: { velocity: new Float32Array([2]) } });
    const again = new NormClipping(new FedAvgM({ momentum: 0.5 }), { maxNorm: 10 });
    again.importState(state);
    expect(again.exportState()).toEqual(state);
    expect(() => again.importState({ ...state, strategy: 'fedavgm' })).toThrow(/cannot be imported/);
  });
});

describe('NormClipping, relative to the round median', () => {
  // norms 1, 2, 100 → median 2, bound 2 × 2 = 4
  const deltas = [
    [1, 0],
    [0, 2],
    [60, 80],
  ];

  it("clips oversized deltas to the bound ('clip')", () => {
    const s = new NormClipping(new FedAvg(), { medianMultiple: 2 });
    expect(s.needs).toBe('per-client');
    // [60, 80] → [2.4, 3.2]; mean of [1, 0], [0, 2], [2.4, 3.2]
    expect(Array.from(s.aggregate(1, new Float32Array(2), perClient(deltas), [])!)).toEqual(
      approx([3.4 / 3, 5.2 / 3]),
    );
    expect(s.lastRound).toEqual({ norms: [1, 2, 100], bound: 4 });
  });

  it("drops them and reports them as failures ('reject')", () => {
    const s = new NormClipping(new FedAvg(), { medianMultiple: 2, action: 'reject' });
    expect(Array.from(s.aggregate(1, new Float32Array(2), perClient(deltas), [])!)).toEqual([0.5, 1]);
    const strict = new NormClipping(new FedAvg({ acceptFailures: false }), {
      medianMultiple: 2,
      action: 'reject',
    });
    expect(strict.aggregate(1, new Float32Array(2), perClient(deltas), [])).toBeNull();
  });

  it('passes clipped per-client deltas to a per-client inner strategy', () => {
    const s = new NormClipping(new FedMedian(), { medianMultiple: 2 });
    // median of [1, 0], [0, 2], [2.4, 3.2] per coordinate: [1, 2]
    expect(Array.from(s.aggregate(1, new Float32Array(2), perClient(deltas), [])!)).toEqual([1, 2]);
  });

  it('validates its options', () => {
    expect(() => new NormClipping(new FedAvg(), {})).toThrow(/exactly one/);
    expect(() => new NormClipping(new FedAvg(), { maxNorm: 1, medianMultiple: 2 })).toThrow(/exactly one/);
    expect(() => new NormClipping(new FedAvg(), { maxNorm: -1 })).toThrow(/maxNorm/);
    expect(() => new NormClipping(new FedAvg(), { maxNorm: 1, action: 'reject' })).toThrow(/action/);
    expect(() => new NormClipping(new FedAvg(), { medianMultiple: 2, action: 'drop' as 'reject' })).toThrow(
      /action/,
    );
  });
});
