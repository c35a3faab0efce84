import { describe, expect, it } from '@jest/globals';
import { createRng } from '@fedzip/codec';
import { AggregationError } from './errors.js';
import { checkSelection, sampleSize, selectClients } from './selection.js';

const ids = Array.from({ length: 10 }, (_, i) => `c${i}`);

describe('sampleSize', () => {
  it('takes ⌊available × fraction⌋, at least minClients, at most available', () => {
    expect(sampleSize(10, {})).toBe(10);
    expect(sampleSize(10, { fraction: 0.5 })).toBe(5);
    expect(sampleSize(10, { fraction: 0.25 })).toBe(2);
    expect(sampleSize(10, { fraction: 0.25, minClients: 3 })).toBe(3);
    expect(sampleSize(10, { clientsPerRound: 4 })).toBe(4);
    expect(sampleSize(3, { clientsPerRound: 4 })).toBe(3);
  });

  it('is 0 below minAvailable or minClients', () => {
    expect(sampleSize(4, { minAvailable: 5 })).toBe(0);
    expect(sampleSize(2, { minClients: 3 })).toBe(0);
    expect(sampleSize(0, {})).toBe(0);
  });
});

describe('selectClients', () => {
  it('is reproducible from the seed and independent of the order ids arrive in', () => {
    const a = selectClients(ids, { clientsPerRound: 4 }, createRng(42));
    const b = selectClients([...ids].reverse(), { clientsPerRound: 4 }, createRng(42));
    expect(a).toEqual(b);
    expect(a).toHaveLength(4);
    expect(new Set(a).size).toBe(4);
    expect(a.every((id) => ids.includes(id))).toBe(true);
    expect(a).toEqual([...a].sort());
    const others = [1, 2, 3, 4, 5].map((s) =>
      selectClients(ids, { clientsPerRound: 4 }, createRng(s)).join(),
    );
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it('ignores duplicate ids and returns [] when too few are available', () => {
    expect(selectClients(['a', 'a', 'b'], {}, createRng(1))).toEqual(['a', 'b']);
    expect(selectClients(['a', 'b'], { minAvailable: 3 }, createRng(1))).toEqual([]);
  });

  it('samples uniformly', () => {
    const rng = createRng(7);
    const counts = new Map<string, number>();
    for (let t = 0; t < 2000; t++) {
      for (const id of selectClients(ids, { fraction: 0.3 }, rng)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // each id is picked with probability 0.3: 600 ± ~20 (1σ)
    for (const id of ids) expect(Math.abs(counts.get(id)! - 600)).toBeLessThan(100);
  });
});

describe('checkSelection', () => {
  it.each([
    [{ fraction: 0 }, 'fraction'],
    [{ fraction: 1.5 }, 'fraction'],
    [{ clientsPerRound: 2.5 }, 'clientsPerRound'],
    [{ minClients: 0 }, 'minClients'],
    [{ minAvailable: -1 }, 'minAvailable'],
    [{ fraction: 0.5, clientsPerRound: 3 }, 'clientsPerRound'],
    [{ clientsPerRound: 3, minClients: 4 }, 'minClients'],
  ])('rejects %j naming %s', (o, field) => {
    expect(() => checkSelection(o)).toThrow(AggregationError);
    try {
      checkSelection(o);
    } catch (e) {
      expect(e).toMatchObject({ code: 'BAD_CONFIG', field });
    }
  });
});
