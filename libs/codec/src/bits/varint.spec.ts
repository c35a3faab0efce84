import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { expectCodecError, fromHex } from '../__tests__/helpers.js';
import { readVarint, varintBytes, writeVarint } from './varint.js';

describe('unsigned LEB128 varints', () => {
  it('round-trip every u32 in varintBytes(v) bytes', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), (v) => {
        const dst = new Uint8Array(5);
        const end = writeVarint(dst, 0, v);
        expect(end).toBe(varintBytes(v));
        const out = new Uint32Array(1);
        expect(readVarint(dst, 0, out)).toBe(end);
        expect(out[0]).toBe(v);
      }),
    );
  });

  it('encodes 7 bits per byte, low group first, high bit = more', () => {
    const dst = new Uint8Array(5);
    expect(writeVarint(dst, 0, 300)).toBe(2);
    expect(Array.from(dst.subarray(0, 2))).toEqual([0xac, 0x02]);
    expect([0, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 32 - 1].map(varintBytes)).toEqual([
      1, 1, 2, 2, 3, 4, 5, 5,
    ]);
  });

  it('rejects truncation, more than 5 bytes and values above 2^32 − 1', () => {
    const out = new Uint32Array(1);
    expectCodecError(() => readVarint(fromHex('8080'), 0, out), 'TRUNCATED');
    expectCodecError(() => readVarint(fromHex('808080808000'), 0, out), 'BAD_LENGTH');
    expectCodecError(() => readVarint(fromHex('8080808010'), 0, out), 'BAD_LENGTH');
    expect(readVarint(fromHex('ffffffff0f'), 0, out)).toBe(5);
    expect(out[0]).toBe(2 ** 32 - 1);
  });
});
