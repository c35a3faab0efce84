import { describe, expect, it } from '@jest/globals';
import { hex, unhex } from '../__tests__/fixtures.js';
import { packValue, packValueFloat32, unpackValue } from './msgpack.js';

describe('packValue', () => {
  it('writes plain msgpack: maps, bin, float64, no extensions', () => {
    expect(hex(packValue({ a: 1 }))).toBe('81a16101');
    expect(hex(packValue(new Uint8Array([1, 2])))).toBe('c4020102');
    // (A Float32Array is written as bin too, but not under Jest: its vm realm's Float32Array is not
    // the one msgpackr checks against. Protocol messages only carry Uint8Arrays.)
    expect(hex(packValue(Buffer.from([3])))).toBe('c40103');
    expect(hex(packValue(0.5))).toBe('cb3fe0000000000000');
    expect(hex(packValue({ a: undefined, b: null }))).toBe('81a162c0');
  });

  it('packValueFloat32 writes non-integers as float32 in [-2^31, 2^32), float64 beyond, ints as ints', () => {
    expect(hex(packValueFloat32([0.5, 0.1, 3, 2 ** 32 + 0.5]))).toBe(
      '94' + 'ca3f000000' + 'ca3dcccccd' + '03' + 'cb41f0000000080000',
    );
    expect(hex(packValueFloat32({ a: 0.5 }))).toBe('81a161ca3f000000'); // otherwise as packValue
    expect(hex(packValue(0.5))).toBe('cb3fe0000000000000'); // the shared packer is unchanged
  });

  it('returns a plain Uint8Array whose bytes stay put after later packs', () => {
    const a = packValue({ x: 1 });
    packValue({ y: 2 });
    expect(Buffer.isBuffer(a)).toBe(false);
    expect(hex(a)).toBe('81a17801');
  });
});

describe('unpackValue', () => {
  it('reads one value', () => {
    expect(unpackValue(unhex('81a16101'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('returns binary as a view into its input (which decodeMessage then copies)', () => {
    const frame = unhex('81a162c4020102');
    const r = unpackValue(frame);
    if (!r.ok) throw new Error(r.reason);
    const b = (r.value as { b: Uint8Array }).b;
    expect(b.buffer).toBe(frame.buffer);
  });

  it('fails without throwing on empty, truncated, trailing and too-deep input', () => {
    expect(unpackValue(new Uint8Array(0))).toEqual({ ok: false, reason: 'the frame is empty' });
    expect(unpackValue(unhex('81a161'))).toMatchObject({ ok: false });
    expect(unpackValue(unhex('a3 6162'))).toMatchObject({ ok: false });
    expect(unpackValue(unhex('0102'))).toEqual({ ok: false, reason: '1 bytes follow the msgpack value' });
    expect(unpackValue(new Uint8Array(1_000_000).fill(0x91))).toEqual({
      ok: false,
      reason: 'msgpack nesting is too deep',
    });
  });

  it('shares no state between frames (no record structures are kept)', () => {
    // A msgpackr record definition (ext 0x72) in one frame must not change how 0x40 reads later.
    const withRecord = unhex('d4 72 40');
    unpackValue(withRecord);
    expect(unpackValue(unhex('40'))).toEqual({ ok: true, value: 64 });
  });
});
