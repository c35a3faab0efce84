import { describe, expect, it } from '@jest/globals';
import { createCodec } from '../codec.js';
import type { CodecErrorCode } from '../errors.js';
import { createRng } from '../rng.js';
import { randkSelect, randomPositions } from '../sparsify/randk.js';
import {
  ALL_SPECS,
  SPARSE_SPECS,
  buildMessage,
  concat,
  expectCodecError,
  expectSameBits,
  f32Bytes,
  gaussian,
  viewAt,
} from '../__tests__/helpers.js';
import { accumulate, decode, decodePositions } from './decode.js';
import { inspect } from './inspect.js';
import { parseEncoded } from './parse.js';

const N = 97; // not a multiple of any chunk, byte or block size

describe('accumulate: sum += weight × decode(e)', () => {
  it.each(ALL_SPECS)('matches weight × decode summed, into Float32Array and Float64Array (%s)', (spec) => {
    const x = gaussian(N, 1);
    const e = createCodec(spec).encode(x, 5);
    const d = decode(e);
    for (const w of [0.37, -2, 0, 1]) {
      const base = gaussian(N, 2);
      const s32 = Float32Array.from(base);
      accumulate(e, w, s32);
      expectSameBits(
        s32,
        Float32Array.from(base, (b, i) => b + w * d[i]!),
      );
      const s64 = Float64Array.from(base);
      accumulate(e, w, s64);
      expectSameBits(
        s64,
        Float64Array.from(base, (b, i) => b + w * d[i]!),
      );
    }
  });

  it('sums many clients across several decode blocks (n = 10,000)', () => {
    const n = 10_000;
    for (const spec of ['q8', 'q3(chunk=1000)', 'topk:0.05+q4', 'none', 'aq6']) {
      const codec = createCodec(spec);
      const sum = new Float64Array(n);
      const want = new Float64Array(n);
      for (let c = 0; c < 3; c++) {
        const e = codec.encode(gaussian(n, 10 + c), c);
        accumulate(e, c + 1, sum);
        const d = decode(e);
        for (let i = 0; i < n; i++) want[i]! += (c + 1) * d[i]!;
      }
      expectSameBits(sum, want);
    }
  });

  it('checks the sum length (SHAPE_MISMATCH) and the weight (BAD_PARAM) before touching the sum', () => {
    const e = createCodec('q8').encode(gaussian(N, 1), 0);
    expectCodecError(() => accumulate(e, 1, new Float32Array(N + 1)), 'SHAPE_MISMATCH');
    const sum = new Float32Array(N).fill(3);
    for (const w of [NaN, Infinity]) expectCodecError(() => accumulate(e, w, sum), 'BAD_PARAM');
    expect(sum.every((v) => v === 3)).toBe(true);
  });

  /** A zero bit stream of `bits` bits with bits [from, from + count) set, LSB-first. */
  const onesAt = (from: number, count: number, bits: number) => {
    const out = new Uint8Array(Math.ceil(bits / 8));
    for (let j = from; j < from + count; j++) out[j >> 3]! |= 1 << (j & 7);
    return out;
  };

  describe('is all-or-nothing: a message that fails validation leaves the sum bit-identical', () => {
    const n = 5000; // > one 4096-value block, so a late error would follow earlier writes
    const last = n - 1;
    const fill = (len: number, v: number) => new Uint8Array(len).fill(v);
    const cases: [string, Uint8Array, CodecErrorCode][] = [
      [
        'f32: NaN in the last value',
        buildMessage({ n, valueId: 1, payload: f32Bytes([...new Array<number>(last).fill(1), NaN]) }),
        'NON_FINITE',
      ],
      [
        'f16: +Inf in the last value',
        buildMessage({ n, valueId: 2, payload: concat(fill(2 * last, 0x3c), Uint8Array.of(0, 0x7c)) }),
        'NON_FINITE',
      ],
      [
        'bf16: NaN in the last value',
        buildMessage({ n, valueId: 3, payload: concat(fill(2 * last, 0x3f), Uint8Array.of(0xc0, 0x7f)) }),
        'NON_FINITE',
      ],
      [
        'q8: the second chunk’s scale overflows',
        buildMessage({
          n,
          valueId: 4,
          param: 8,
          chunk: 4096,
          payload: concat(f32Bytes([0.1, 3e38]), fill(n, 200)),
        }),
        'NON_FINITE',
      ],
      [
        'q4: a NaN scale in the last chunk',
        buildMessage({
          n,
          valueId: 4,
          param: 4,
          chunk: 1000,
          payload: concat(f32Bytes([1, 1, 1, 1, NaN]), fill(n / 2, 0x99)),
        }),
        'NON_FINITE',
      ],
      [
        'q8, entropy-coded: the last code’s unary run goes past L = 127',
        buildMessage({
          n,
          valueId: 4,
          param: 8,
          flags: 1,
          // r = 0, base 0: 4999 codes "0" (q = 0), then 128 one-bits and a zero-bit (|q| = 128)
          payload: concat(f32Bytes([1]), Uint8Array.of(0, 0), onesAt(4999, 128, 4999 + 129)),
        }),
        'BAD_VALUE',
      ],
      [
        'aq8: the last zero point is fine but the last scale is negative',
        buildMessage({
          n,
          valueId: 6,
          param: 8,
          chunk: 2500,
          payload: concat(f32Bytes([1, -1]), Uint8Array.of(5, 5), fill(n, 9)),
        }),
        'BAD_VALUE',
      ],
      [
        'aq3: a zero point above 7 in the last chunk',
        buildMessage({
          n,
          valueId: 6,
          param: 3,
          chunk: 2500,
          payload: concat(f32Bytes([1, 1]), Uint8Array.of(3, 8), fill(1875, 0)),
        }),
        'BAD_VALUE',
      ],
      [
        'qsgd:2: a level above s in the last value',
        buildMessage({
          n,
          valueId: 7,
          param: 2,
          chunk: 0,
          // 3-bit codes; 5000·3 bits = 1875 bytes; the last code (bits 14997–14999) = 0b110 (ℓ = 3)
          payload: concat(f32Bytes([1]), fill(1874, 0), Uint8Array.of(0b11000000)),
        }),
        'BAD_VALUE',
      ],
      [
        'kmeans:3: an index ≥ k in the last value',
        buildMessage({
          n,
          valueId: 8,
          param: 3,
          payload: concat(f32Bytes([-1, 0, 1]), fill(1249, 0), Uint8Array.of(0b11000000)),
        }),
        'BAD_VALUE',
      ],
      [
        'sign: an infinite scale',
        buildMessage({
          n,
          valueId: 9,
          chunk: 4096,
          payload: concat(f32Bytes([1, Infinity]), fill(625, 0xff)),
        }),
        'NON_FINITE',
      ],
      [
        'ternary: a byte ≥ 243 at the end',
        buildMessage({ n, valueId: 10, payload: concat(f32Bytes([1]), fill(999, 1), Uint8Array.of(243)) }),
        'BAD_VALUE',
      ],
      [
        'topk, Rice: the last gap runs past n',
        buildMessage({
          n: 16,
          valueId: 1,
          sparse: { param: 0.25, k: 4, coding: 0, riceBits: 1, positions: Uint8Array.of(0xcd, 0x1c) },
          payload: f32Bytes([1, 2, 3, 4]),
        }),
        'BAD_LENGTH',
      ],
      [
        'topk, bitmap: popcount above k',
        buildMessage({
          n: 16,
          valueId: 1,
          sparse: { param: 0.25, k: 4, coding: 2, positions: Uint8Array.of(0x48, 0x89) },
          payload: f32Bytes([1, 2, 3, 4]),
        }),
        'BAD_LENGTH',
      ],
      [
        'topk, varint: positions fine, a NaN value',
        buildMessage({
          n: 16,
          valueId: 1,
          sparse: { param: 0.25, k: 2, coding: 1, positions: Uint8Array.of(1, 2) },
          payload: f32Bytes([1, NaN]),
        }),
        'NON_FINITE',
      ],
    ];
    it.each(cases)('%s', (_what, msg, code) => {
      const len = new DataView(msg.buffer).getUint32(8, true);
      for (const make of [(k: number) => new Float32Array(k), (k: number) => new Float64Array(k)]) {
        const sum = make(len);
        for (let i = 0; i < len; i++) sum[i] = Math.sin(i) + 2;
        const before = sum.slice();
        expectCodecError(() => accumulate(msg, 0.5, sum), code);
        expectSameBits(sum, before);
      }
      // decode into a caller's array: it may be zeroed, never partly written with values
      const out = new Float32Array(len).fill(7);
      expectCodecError(() => decode(msg, { out }), code);
      expect(out.every((v) => v === 7) || out.every((v) => v === 0)).toBe(true);
    });
  });
});

describe('decode', () => {
  it('writes into a caller-supplied array of the right length, zeroing what a sparsifier dropped', () => {
    const x = gaussian(N, 4);
    const e = createCodec('topk:0.1+f16').encode(x, 0);
    const out = new Float32Array(N).fill(9);
    expect(decode(e, { out })).toBe(out);
    expect(out.filter((v) => v !== 0).length).toBe(10);
    expectCodecError(() => decode(e, { out: new Float32Array(N - 1) }), 'SHAPE_MISMATCH');
  });

  it.each(SPARSE_SPECS.filter((s) => s.startsWith('randk')))(
    'regenerates random-k positions from the seed in the header (%s)',
    (spec) => {
      for (const seed of [0, 1, 99, 0xffffffff]) {
        const x = gaussian(N, seed);
        const t = parseEncoded(createCodec(spec).encode(x, seed));
        const wire = t.sparse!;
        expect(wire.coding).toBe(3);
        expect(wire.positions.length).toBe(0);
        // The encoder drew the seed as the first word of its rng, then selected with it.
        expect(wire.seed).toBe(createRng(seed).nextUint32());
        const pos = decodePositions(wire, N);
        expect(Array.from(pos)).toEqual(Array.from(randomPositions(N, wire.k, wire.seed)));
        expect(pos.length).toBe(t.m);
        const y = decode(t);
        const keep = new Set(pos);
        expect(y.every((v, i) => keep.has(i) || v === 0)).toBe(true);
        // the encoder's own selection, from the same seed
        expect(pos).toEqual(randkSelect(x, wire.k, wire.seed).positions);
        if (t.value.name === 'f32')
          expect(Array.from(pos, (p) => y[p])).toEqual(Array.from(pos, (p) => x[p]));
      }
    },
  );
});

describe('typed arrays at a non-zero byteOffset', () => {
  it.each(ALL_SPECS)('encodes a subarray view exactly like a copy (%s)', (spec) => {
    const big = gaussian(N + 11, 3);
    const view = big.subarray(5, 5 + N);
    const codec = createCodec(spec);
    expect(codec.encode(view, 8)).toEqual(codec.encode(Float32Array.from(view), 8));
  });

  it.each(ALL_SPECS)('decodes, accumulates and inspects a Uint8Array view at odd offsets (%s)', (spec) => {
    const e = createCodec(spec).encode(gaussian(N, 6), 2);
    const want = decode(e);
    const wantInfo = inspect(e);
    const wantSum = new Float64Array(N).fill(1);
    accumulate(e, 0.25, wantSum);
    for (const at of [1, 3, 7, 13]) {
      const view = viewAt(e, at);
      expect(view.byteOffset % 2).toBe(1);
      expectSameBits(decode(view), want);
      expect(inspect(view)).toEqual(wantInfo);
      const sum = new Float64Array(N).fill(1);
      accumulate(view, 0.25, sum);
      expectSameBits(sum, wantSum);
      const s32 = new Float32Array(N);
      accumulate(view, 1, s32);
      expectSameBits(
        s32,
        want.map((v) => 0 + v),
      ); // (−0 sums to +0)
    }
  });

  it('reads a view whose buffer holds other messages around it (msgpackr style)', () => {
    const a = createCodec('q8').encode(gaussian(20, 1), 0);
    const b = createCodec('topk:0.2+sign').encode(gaussian(40, 2), 0);
    const joined = concat(Uint8Array.of(0xc4), a, Uint8Array.of(0xc4, 0x00), b);
    expect(decode(joined.subarray(1, 1 + a.length))).toEqual(decode(a));
    expect(decode(joined.subarray(3 + a.length))).toEqual(decode(b));
  });
});
