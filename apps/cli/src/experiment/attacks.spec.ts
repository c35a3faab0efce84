import { describe, expect, it } from '@jest/globals';
import { parseExperiment } from '@fedzip/config';
import type { Dataset } from '@fedzip/data';
import {
  attackDevice,
  attackTransform,
  attackerCount,
  attackerIndices,
  constantUpdate,
  flipLabels,
  gaussianNoise,
  signFlip,
} from './attacks.js';

const attackOf = (attack: unknown) => parseExperiment({ attack }).attack!;
const round = { roundId: 3, seed: 99 };

describe('attackers', () => {
  it('are round(fraction × count) clients, the same for the same seed', () => {
    expect(attackerCount({ fraction: 0.2 }, 20)).toBe(4);
    expect(attackerCount({ fraction: 0.25 }, 10)).toBe(3); // 2.5 rounds up
    expect(attackerCount({ fraction: 0 }, 20)).toBe(0);
    expect(attackerCount({ fraction: 1 }, 7)).toBe(7);
    const a = attackerIndices({ fraction: 0.2 }, 20, 42);
    expect(a).toHaveLength(4);
    expect(new Set(a).size).toBe(4);
    expect(a.every((i) => Number.isInteger(i) && i >= 0 && i < 20)).toBe(true);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(attackerIndices({ fraction: 0.2 }, 20, 42)).toEqual(a);
  });

  it('are picked by attack.seed when given, else by the experiment seed', () => {
    const bySeed = (s: number) => attackerIndices({ fraction: 0.3 }, 50, s).join(',');
    expect(new Set([1, 2, 3, 4].map(bySeed)).size).toBeGreaterThan(1);
    expect(attackerIndices({ fraction: 0.3, seed: 5 }, 50, 1)).toEqual(
      attackerIndices({ fraction: 0.3 }, 50, 5),
    );
  });
});

describe('update attacks', () => {
  it('sign flip ×k negates and scales in place', () => {
    const d = Float32Array.of(1, -2, 0.5);
    expect(signFlip(d, 4)).toBe(d);
    expect([...d]).toEqual([-4, 8, -2]);
  });

  it('gaussian replaces the delta by seeded N(0, σ²) noise', () => {
    const a = gaussianNoise(new Float32Array(20_000).fill(7), 0.5, 1);
    const b = gaussianNoise(new Float32Array(20_000), 0.5, 1);
    expect(a).toEqual(b);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(sd).toBeCloseTo(0.5, 1);
  });

  it('constant sets every coordinate', () => {
    expect([...constantUpdate(Float32Array.of(1, 2, 3), -5)]).toEqual([-5, -5, -5]);
  });

  it('transforms follow the config (label flip has none)', () => {
    const flip = attackTransform(attackOf({ kind: 'sign-flip', scale: 2 }), 0, 42)!;
    expect([...flip(Float32Array.of(1, -1), round)]).toEqual([-2, 2]);
    const constant = attackTransform(attackOf('constant'), 0, 42)!;
    expect([...constant(new Float32Array(2), round)]).toEqual([10, 10]);
    const gauss = attackTransform(attackOf({ kind: 'gaussian', sigma: 2 }), 1, 42)!;
    const g1 = gauss(new Float32Array(8), round);
    expect(gauss(new Float32Array(8), round)).toEqual(g1); // deterministic per client and round
    expect(gauss(new Float32Array(8), { ...round, roundId: 4 })).not.toEqual(g1);
    const other = attackTransform(attackOf({ kind: 'gaussian', sigma: 2 }), 2, 42)!;
    expect(other(new Float32Array(8), round)).not.toEqual(g1);
    expect(attackTransform(attackOf('label-flip'), 0, 42)).toBeUndefined();
  });
});

describe('label flip', () => {
  const data: Dataset = {
    x: Float32Array.of(0, 1, 2, 3, 4, 5),
    y: Uint8Array.of(0, 1, 9, 4, 5, 3),
    n: 6,
    shape: [1],
    numClasses: 10,
  };

  it('maps y to C − 1 − y on a copy, sharing the features', () => {
    const f = flipLabels(data);
    expect([...f.y]).toEqual([9, 8, 0, 5, 4, 6]);
    expect([...data.y]).toEqual([0, 1, 9, 4, 5, 3]);
    expect(f.x).toBe(data.x);
    expect(f.y).toBeInstanceOf(Uint8Array);
  });
});

describe('attackDevice', () => {
  const data: Dataset = {
    x: new Float32Array(4),
    y: Uint8Array.of(0, 1, 2, 3),
    n: 4,
    shape: [1],
    numClasses: 4,
  };

  it('leaves honest clients (and every client without an attack) alone', () => {
    expect(attackDevice(undefined, 0, 20, 42, data)).toEqual({ data });
    const attack = attackOf({ kind: 'sign-flip', fraction: 0.2 });
    const bad = attackerIndices(attack, 20, 42);
    const honest = [...Array(20).keys()].find((i) => !bad.includes(i))!;
    expect(attackDevice(attack, honest, 20, 42, data)).toEqual({ data });
    const evil = attackDevice(attack, bad[0]!, 20, 42, data);
    expect(evil.data).toBe(data);
    expect(evil.transformUpdate).toBeInstanceOf(Function);
  });

  it('gives label flippers flipped data and no transform', () => {
    const attack = attackOf({ kind: 'label-flip', fraction: 1 });
    const d = attackDevice(attack, 3, 4, 42, data);
    expect([...d.data.y]).toEqual([3, 2, 1, 0]);
    expect(d.transformUpdate).toBeUndefined();
  });
});
