import { describe, expect, it } from '@jest/globals';
import {
  CenteredClipping,
  FedMedian,
  FedTrimmedMean,
  Krum,
  NormClipping,
  createStrategy,
} from '@fedzip/aggregation';
import { parseExperiment } from '@fedzip/config';
import { strategyConfig } from './strategy-config.js';

const strategyOf = (strategy: unknown) => createStrategy(strategyConfig(parseExperiment({ strategy })));

describe('strategyConfig: the robust strategies (issue 7)', () => {
  it('builds each robust strategy from its config, needing per-client deltas', () => {
    const median = strategyOf('median');
    expect(median).toBeInstanceOf(FedMedian);
    const trimmed = strategyOf({ name: 'trimmed-mean', beta: 0.3 });
    expect(trimmed).toBeInstanceOf(FedTrimmedMean);
    expect((trimmed as FedTrimmedMean).beta).toBe(0.3);
    const krum = strategyOf({ name: 'krum', byzantine: 3, multi: 5 }) as Krum;
    expect(krum).toBeInstanceOf(Krum);
    expect([krum.byzantine, krum.multi]).toEqual([3, 5]);
    const cc = strategyOf({ name: 'centered-clip', radius: 0.2, iterations: 2 }) as CenteredClipping;
    expect(cc).toBeInstanceOf(CenteredClipping);
    expect([cc.radius, cc.iterations]).toEqual([0.2, 2]);
    for (const s of [median, trimmed, krum, cc]) expect(s.needs).toBe('per-client');
  });

  it('puts FedAvg behind NormClipping for norm-clip: streaming with maxNorm, per-client with a median multiple', () => {
    const fixed = strategyOf({ name: 'norm-clip', maxNorm: 0.5 }) as NormClipping;
    expect(fixed).toBeInstanceOf(NormClipping);
    expect(fixed.name).toBe('clip(fedavg)');
    expect([fixed.needs, fixed.clipNorm]).toEqual(['mean', 0.5]);
    const relative = strategyOf({ name: 'norm-clip', medianMultiple: 2, action: 'reject' }) as NormClipping;
    expect([relative.needs, relative.medianMultiple, relative.action]).toEqual(['per-client', 2, 'reject']);
  });

  it('aggregates a round robustly: the median ignores one huge update (5 clients: minResults)', () => {
    const s = strategyOf('median');
    const global = new Float32Array(2);
    const clients = [
      { clientId: 'a', numSamples: 1, delta: Float32Array.of(1, 1) },
      { clientId: 'b', numSamples: 1, delta: Float32Array.of(1.2, 0.8) },
      { clientId: 'c', numSamples: 1, delta: Float32Array.of(1, 1) },
      { clientId: 'd', numSamples: 1, delta: Float32Array.of(1.2, 0.8) },
      { clientId: 'e', numSamples: 1000, delta: Float32Array.of(-100, 100) },
    ];
    const next = s.aggregate(1, global, { kind: 'per-client', clients }, []);
    expect([...next!]).toEqual([1, 1]);
  });
});
