import { describe, expect, it } from '@jest/globals';
import { createCodec } from '@fedzip/codec';
import { RoundCollector } from './collector.js';
import { AggregationError } from './errors.js';
import { FedAvg } from './strategies/fedavg.js';
import { NormClipping } from './strategies/norm-clipping.js';
import { FedMedian } from './strategies/robust.js';

const codec = createCodec('none');
const enc = (...xs: number[]) => codec.encode(new Float32Array(xs), 0);

describe('RoundCollector', () => {
  it("streams a 'mean' strategy's updates into the sample-weighted mean", () => {
    const c = RoundCollector.for(new FedAvg(), 3);
    c.add({ clientId: 'a', numSamples: 1, metrics: { loss: 0.5 } }, enc(1, 0, -2));
    c.add({ clientId: 'b', numSamples: 3 }, enc(5, 4, 2));
    const r = c.results();
    expect(r.kind).toBe('mean');
    if (r.kind !== 'mean') return;
    expect(Array.from(r.mean)).toEqual([4, 3, 1]);
    expect(r.totalWeight).toBe(4);
    expect(r.clients).toEqual([
      { clientId: 'a', numSamples: 1, metrics: { loss: 0.5 } },
      { clientId: 'b', numSamples: 3 },
    ]);
    expect(r.clipNorm).toBeUndefined();
  });

  it("keeps each decoded delta for a 'per-client' strategy", () => {
    const c = RoundCollector.for(new FedMedian(), 2);
    c.add({ clientId: 'a', numSamples: 10 }, enc(1, 2));
    c.add({ clientId: 'b', numSamples: 20 }, enc(3, 4));
    const r = c.results();
    expect(r.kind).toBe('per-client');
    if (r.kind !== 'per-client') return;
    expect(r.clients.map((u) => [u.clientId, u.numSamples, Array.from(u.delta)])).toEqual([
      ['a', 10, [1, 2]],
      ['b', 20, [3, 4]],
    ]);
  });

  it('rejects duplicates, bad messages and bad sample counts without taking anything', () => {
    for (const needs of ['mean', 'per-client'] as const) {
      const c = new RoundCollector(2, needs);
      c.add({ clientId: 'a', numSamples: 1 }, enc(1, 1));
      expect(() => c.add({ clientId: 'a', numSamples: 1 }, enc(2, 2))).toThrow(AggregationError);
      expect(c.tryAdd({ clientId: 'a', numSamples: 1 }, enc(2, 2))).toMatchObject({
        ok: false,
        code: 'DUPLICATE_CLIENT',
      });
      expect(c.tryAdd({ clientId: 'b', numSamples: 1 }, enc(1, 2, 3))).toMatchObject({
        ok: false,
        code: 'SHAPE_MISMATCH',
      });
      expect(c.tryAdd({ clientId: 'b', numSamples: -3 }, enc(1, 2))).toMatchObject({
        ok: false,
        code: 'BAD_PARAM',
      });
      expect(c.count).toBe(1);
      // a rejected client may still send a valid update
      expect(c.tryAdd({ clientId: 'b', numSamples: 1 }, enc(3, 3))).toMatchObject({ ok: true });
      const r = c.results();
      expect(r.clients.map((f) => f.clientId)).toEqual(['a', 'b']);
      if (r.kind === 'mean') expect(Array.from(r.mean)).toEqual([2, 2]);
    }
  });

  it('clips while collecting when the strategy asks for it', () => {
    const s = new NormClipping(new FedAvg(), { maxNorm: 1 });
    const c = RoundCollector.for(s, 2);
    expect(c.add({ clientId: 'a', numSamples: 1 }, enc(3, 4))).toEqual({ norm: 5, scale: 0.2 });
    const r = c.results();
    expect(r).toMatchObject({ kind: 'mean', clipNorm: 1 });
    if (r.kind === 'mean')
      expect(Array.from(r.mean)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);

    const pc = new RoundCollector(2, 'per-client', { clipNorm: 1 });
    pc.add({ clientId: 'a', numSamples: 1 }, enc(3, 4));
    const pr = pc.results();
    if (pr.kind === 'per-client')
      expect(Array.from(pr.clients[0]!.delta)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('gives an empty round a zero mean (strategies then return null)', () => {
    const s = new FedAvg();
    const r = RoundCollector.for(s, 2).results();
    expect(r).toMatchObject({ kind: 'mean', clients: [], totalWeight: 0 });
    expect(s.aggregate(1, new Float32Array(2), r, [])).toBeNull();
  });
});
