import { describe, expect, it } from '@jest/globals';
import { CAPS, DEFAULT_LIMITS, frameLimit, maxFrameBytes, resolveLimits } from './limits.js';

describe('limits', () => {
  it('fills from the defaults and freezes', () => {
    const l = resolveLimits({ maxUpdateBytes: 1000 });
    expect(l).toEqual({ ...DEFAULT_LIMITS, maxUpdateBytes: 1000 });
    expect(Object.isFrozen(l)).toBe(true);
    expect(Object.isFrozen(DEFAULT_LIMITS)).toBe(true);
  });

  it.each([0, -1, 1.5, NaN, Infinity, 2 ** 32])('refuses a limit of %p, naming it', (v) => {
    expect(() => resolveLimits({ maxSampleCount: v })).toThrow(/maxSampleCount/);
  });

  it('refuses unknown limits', () => {
    expect(() => resolveLimits({ maxFoo: 1 } as never)).toThrow(/maxFoo/);
  });

  it('bounds each event’s frame', () => {
    const l = resolveLimits({ maxUpdateBytes: 1000, maxModelBytes: 5000, maxLayoutEntries: 2 });
    expect(frameLimit('update', l)).toBe(1000 + CAPS.envelopeBytes);
    expect(frameLimit('model', l)).toBe(5000 + CAPS.envelopeBytes + 2 * CAPS.layoutEntryBytes);
    expect(frameLimit('hello', l)).toBe(l.maxControlFrameBytes);
    expect(frameLimit('ack', l)).toBe(l.maxControlFrameBytes);
    expect(maxFrameBytes(l)).toBe(
      Math.max(frameLimit('model', l), frameLimit('update', l), l.maxControlFrameBytes),
    );
  });
});
