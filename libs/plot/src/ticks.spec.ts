import { describe, expect, it } from '@jest/globals';
import { formatTick, linearTicks, logTicks, niceStep } from './ticks.js';

describe('niceStep', () => {
  it.each([
    [0.06, 0.05],
    [0.13, 0.1],
    [0.25, 0.2],
    [3.2, 5],
    [8, 10],
    [1234, 1000],
  ])('%p → %p', (x, step) => expect(niceStep(x)).toBeCloseTo(step, 12));
});

describe('linearTicks', () => {
  it('widens to whole steps and gives clean values', () => {
    const t = linearTicks(0.013, 0.287, 5);
    expect(t.min).toBe(0);
    expect(t.max).toBe(0.3);
    expect(t.values).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
    expect(t.decimals).toBe(2);
  });

  it('keeps fixed bounds and puts ticks inside them', () => {
    const t = linearTicks(83.4, 100, 5, { min: true, max: false });
    expect(t.max).toBe(100);
    expect(t.values[0]).toBe(t.min);
    expect(t.values.at(-1)).toBe(100);
    expect(t.values.every((v) => v >= t.min && v <= t.max)).toBe(true);
  });

  it('handles negative ranges', () => {
    expect(linearTicks(-3, 7, 5).values).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });

  it('refuses empty or non-finite ranges', () => {
    expect(() => linearTicks(1, 1)).toThrow(RangeError);
    expect(() => linearTicks(0, NaN)).toThrow(/finite/);
  });
});

describe('logTicks', () => {
  it('uses decades, with 2 and 5 over short ranges', () => {
    expect(logTicks(0.03, 0.8).values).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
    expect(logTicks(0.5, 20000).values).toEqual([0.1, 1, 10, 100, 1000, 10000, 100000]);
  });

  it('refuses non-positive bounds', () => {
    expect(() => logTicks(0, 10)).toThrow(RangeError);
  });
});

describe('formatTick', () => {
  it('formats with fixed decimals, never as -0', () => {
    expect(formatTick(0.1, 2)).toBe('0.10');
    expect(formatTick(-0.0000001, 1)).toBe('0.0');
    expect(formatTick(0, 3)).toBe('0');
  });
  it('shortens without decimals', () => {
    expect(formatTick(0)).toBe('0');
    expect(formatTick(0.00001)).toBe('1e-5');
    expect(formatTick(2500000)).toBe('2.5e6');
    expect(formatTick(123.456)).toBe('123.5');
  });
});
