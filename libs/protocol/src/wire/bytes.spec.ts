import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { frameBytes, isUint8Array, ownBytes } from './bytes.js';

describe('bytes', () => {
  it('recognises Uint8Arrays and Buffers, also from another realm', () => {
    expect(isUint8Array(new Uint8Array(1))).toBe(true);
    expect(isUint8Array(Buffer.alloc(1))).toBe(true);
    expect(isUint8Array(runInNewContext('new Uint8Array(3)'))).toBe(true);
    for (const v of [new Int8Array(1), new Uint8ClampedArray(1), new ArrayBuffer(1), [1], 'x', null]) {
      expect(isUint8Array(v)).toBe(false);
    }
  });

  it('views an ArrayBuffer without copying, and refuses other values', () => {
    const ab = new ArrayBuffer(4);
    expect(frameBytes(ab)?.buffer).toBe(ab);
    expect(frameBytes(runInNewContext('new ArrayBuffer(2)'))?.byteLength).toBe(2);
    expect(frameBytes('abc')).toBeNull();
    expect(frameBytes({ byteLength: 3 })).toBeNull();
  });

  it('copies into a buffer of its own', () => {
    const pool = new Uint8Array([9, 1, 2, 3, 9]);
    const own = ownBytes(pool.subarray(1, 4));
    pool.fill(0);
    expect(Array.from(own)).toEqual([1, 2, 3]);
    expect(own.byteOffset).toBe(0);
    expect(own.buffer.byteLength).toBe(3);
  });
});
