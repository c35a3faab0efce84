import { describe, expect, it } from '@jest/globals';
import { Xoshiro128, createCodec } from '@fedzip/codec';
import { RoundCollector } from '../collector.js';
import { AggregationError } from '../errors.js';
import { l2Norm } from '../math/vector.js';
import { CentralDp } from './dp-fedavg.js';
import { FedAvg } from './fedavg.js';
import { FedMedian } from './robust.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);

/** One round through the collector (which clips on arrival) and the DP wrapper. */
function round(dp: CentralDp, deltas: Float32Array[], numSamples = (k: number) => 10 + k, r = 1) {
  const n = deltas[0]!.length;
  dp.configureRound(r, ids(deltas.length), new Xoshiro128(1));
  const collector = RoundCollector.for(dp, n);
  const none = createCodec('none');
  deltas.forEach((d, k) =>
    collector.add({ clientId: `c${k}`, numSamples: numSamples(k) }, none.encode(d, 0)),
  );
  return dp.aggregate(r, new Float32Array(n), collector.results(), []);
}

describe('CentralDp (DP-FedAvg): clip, unweighted sum, N(0, σ²C²), divide by m', () => {
  it('the noise on the mean has std σC/m (seeded, 200k coordinates, within 1%)', () => {
    const n = 200_000;
    const m = 8;
    const [sigma, c] = [1.3, 0.7];
    const dp = new CentralDp(new FedAvg({ clientsPerRound: m }), {
      clipNorm: c,
      noiseMultiplier: sigma,
      seed: 5,
    });
    const next = round(
      dp,
      Array.from({ length: m }, () => new Float32Array(n)),
    )!;
    let s = 0;
    let s2 = 0;
    for (const v of next) {
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    expect(Math.abs(mean)).toBeLessThan((4 * (sigma * c)) / m / Math.sqrt(n));
    expect(Math.abs(std / ((sigma * c) / m) - 1)).toBeLessThan(0.01);
    expect(dp.lastNoiseStd).toBeCloseTo((sigma * c) / m, 12);
  });

  it('is reproducible per round and draws fresh noise each round', () => {
    const mk = () =>
      new CentralDp(new FedAvg({ clientsPerRound: 2 }), { clipNorm: 1, noiseMultiplier: 1, seed: 9 });
    const zeros = [new Float32Array(100), new Float32Array(100)];
    expect(round(mk(), zeros, undefined, 3)).toEqual(round(mk(), zeros, undefined, 3));
    expect(round(mk(), zeros, undefined, 3)).not.toEqual(round(mk(), zeros, undefined, 4));
  });

  it('clips every update on arrival and averages unweighted: σ = 0 gives mean(clip(Δₖ))', () => {
    const dp = new CentralDp(new FedAvg({ clientsPerRound: 2 }), {
      clipNorm: 1,
      noiseMultiplier: 0,
      seed: 1,
    });
    expect(dp.needs).toBe('per-client');
    expect(dp.clipNorm).toBe(1);
    // A client that "forgot" to clip (norm 50) counts as norm 1; sample counts 10 vs 1000 are ignored.
    const next = round(dp, [Float32Array.of(30, 40), Float32Array.of(0, 0.5)], (k) => (k === 0 ? 10 : 1000))!;
    expect(next[0]).toBeCloseTo((0.6 + 0) / 2, 5);
    expect(next[1]).toBeCloseTo((0.8 + 0.5) / 2, 5);
    expect(l2Norm(next)).toBeLessThanOrEqual(1);
  });

  it('divides by the clients selected, not by those who reported (fixed denominator)', () => {
    const dp = new CentralDp(new FedAvg({ clientsPerRound: 4 }), {
      clipNorm: 10,
      noiseMultiplier: 0,
      seed: 1,
    });
    dp.configureRound(1, ids(4), new Xoshiro128(1));
    const collector = RoundCollector.for(dp, 1);
    collector.add({ clientId: 'c0', numSamples: 1 }, createCodec('none').encode(Float32Array.of(2), 0));
    expect(dp.aggregate(1, Float32Array.of(0), collector.results(), [])![0]).toBeCloseTo(0.5, 6);
  });

  it('wraps only mean-based strategies; state round-trips under its own name', () => {
    expect(() => new CentralDp(new FedMedian(), { clipNorm: 1, noiseMultiplier: 1, seed: 0 })).toThrow(
      AggregationError,
    );
    expect(() => new CentralDp(new FedAvg(), { clipNorm: 0, noiseMultiplier: 1, seed: 0 })).toThrow(
      AggregationError,
    );
    const dp = new CentralDp(new FedAvg(), { clipNorm: 1, noiseMultiplier: 1, seed: 0 });
    expect(dp.name).toBe('dp(fedavg)');
    dp.importState(dp.exportState());
    expect(() => dp.importState({ strategy: 'fedavg', arrays: {} })).toThrow(AggregationError);
  });
});
