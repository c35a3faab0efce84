/**
 * Hostile input. Every malformed message must raise a CodecError with the right code: never
 * another exception, never a hang, never an allocation sized by a number the message claims.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { CodecError, type CodecErrorCode } from '../errors.js';
import {
  ALL_SPECS,
  buildMessage,
  concat,
  expectCodecError,
  f32Bytes,
  gaussian,
  patch,
  viewAt,
  withCrc,
} from '../__tests__/helpers.js';
import { crc32 } from './checksum.js';
import { accumulate, decode, decodePositions } from './decode.js';
import { inspect } from './inspect.js';
import { DEFAULT_MAX_ELEMENTS } from './layout.js';
import { asEncoded, parseEncoded } from './parse.js';

const N = 40;
const dense = createCodec('q8').encode(gaussian(N, 1), 0);
const sparse = createCodec('topk:0.2+q4').encode(gaussian(N, 2), 0); // Rice positions
const seeded = createCodec('randk:0.25+f16').encode(gaussian(N, 3), 7);
const SPARSE = 16; // offset of the sparse section
const valueAt = (msg: Uint8Array) => msg.length - 4 - parseEncoded(msg).payload.length - 8;

/** All four entry points, on bytes: each must reject the same way. */
function expectAllReject(msg: Uint8Array, code: CodecErrorCode, n = N): void {
  expectCodecError(() => parseEncoded(msg), code);
  expectCodecError(() => decode(msg), code);
  expectCodecError(() => inspect(msg), code);
  expectCodecError(() => asEncoded(msg), code);
  expectCodecError(() => accumulate(msg, 1, new Float64Array(n)), code);
}

/** Structurally valid, so parse and inspect accept it; decoding the values is what rejects it. */
function expectDecodeRejects(msg: Uint8Array, code: CodecErrorCode, n: number): void {
  expect(parseEncoded(msg).n).toBe(n);
  expectCodecError(() => decode(msg), code);
  expectCodecError(() => accumulate(msg, 1, new Float64Array(n)), code);
  expectCodecError(() => accumulate(msg, 1, new Float32Array(n)), code);
}

describe('hostile input', () => {
  it('crc32 is IEEE CRC-32 (zlib): "123456789" → cbf43926', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it.each([
    ['dense', dense],
    ['sparse', sparse],
    ['seeded', seeded],
  ])('rejects a %s message truncated at every length (TRUNCATED)', (_what, msg) => {
    for (let len = 0; len < msg.length; len++) {
      const cut = msg.slice(0, len);
      expectAllReject(cut, 'TRUNCATED');
      expectCodecError(() => decode(viewAt(cut, 3)), 'TRUNCATED');
    }
  });

  it('rejects a wrong magic (BAD_MAGIC), version (BAD_VERSION) and non-zero flags (BAD_FLAGS)', () => {
    expectAllReject(patch(dense, 0, 0x47, 1), 'BAD_MAGIC');
    expectAllReject(patch(dense, 1, 0x7a, 1), 'BAD_MAGIC');
    expectAllReject(patch(dense, 0, 0x465a, 2), 'BAD_MAGIC'); // "ZF"
    for (const v of [0, 3, 255]) expectAllReject(patch(dense, 2, v, 1), 'BAD_VERSION');
    // version 2 knows flags bit 0 only; version 1 no flag at all; bit 0 only with q/sq
    for (const f of [2, 0x80, 0x81]) expectAllReject(patch(dense, 3, f, 1), 'BAD_FLAGS');
    expectAllReject(patch(patch(dense, 2, 1, 1), 3, 1, 1), 'BAD_FLAGS');
    expectAllReject(patch(seeded, 3, 1, 1), 'BAD_FLAGS'); // f16
    expect(parseEncoded(patch(createCodec('q8').encode(gaussian(4, 1), 0), 2, 1, 1)).version).toBe(1);
    // reserved bytes: header, sparse section, value header (checksum fixed so they are what fails)
    expectAllReject(patch(dense, 14, 1, 2), 'BAD_FLAGS');
    expectAllReject(patch(sparse, SPARSE + 14, 0x100, 2), 'BAD_FLAGS');
    expectAllReject(patch(dense, valueAt(dense) + 2, 1, 2), 'BAD_FLAGS');
  });

  it('checks the CRC-32 of every byte before the trailer (BAD_CHECKSUM)', () => {
    for (const at of [12, 13, 16, 20, dense.length - 5]) {
      const bad = Uint8Array.from(dense);
      bad[at]! ^= 0x10;
      expectAllReject(bad, 'BAD_CHECKSUM');
    }
    const bad = Uint8Array.from(dense);
    bad[bad.length - 1]! ^= 1;
    expectAllReject(bad, 'BAD_CHECKSUM');
  });

  it('rejects unknown sparsifier, value and position-coding ids (UNKNOWN_STAGE, CRC re-computed)', () => {
    for (const id of [5, 9, 255]) expectAllReject(patch(dense, 12, id, 1), 'UNKNOWN_STAGE');
    for (const id of [0, 11, 255]) expectAllReject(patch(dense, 13, id, 1), 'UNKNOWN_STAGE');
    for (const id of [4, 255]) expectAllReject(patch(sparse, SPARSE + 12, id, 1), 'UNKNOWN_STAGE');
    // without the CRC fix-up, the checksum is what fires
    expectAllReject(patch(dense, 13, 11, 1, false), 'BAD_CHECKSUM');
  });

  it('rejects a total length that lies, in both directions', () => {
    expectAllReject(patch(dense, 4, dense.length + 1, 4), 'TRUNCATED');
    expectAllReject(patch(dense, 4, 0xffffffff, 4), 'TRUNCATED');
    expectAllReject(patch(dense, 4, dense.length - 1, 4), 'BAD_LENGTH');
    expectAllReject(patch(dense, 4, 0, 4), 'BAD_LENGTH');
    expectAllReject(concat(dense, Uint8Array.of(0)), 'BAD_LENGTH'); // a trailing byte
  });

  it('enforces maxElements (TOO_MANY_ELEMENTS) and expectedLength (SHAPE_MISMATCH)', () => {
    expectCodecError(() => parseEncoded(dense, { maxElements: N - 1 }), 'TOO_MANY_ELEMENTS');
    expect(parseEncoded(dense, { maxElements: N }).n).toBe(N);
    expectCodecError(() => decode(dense, { maxElements: 10 }), 'TOO_MANY_ELEMENTS');
    expectCodecError(
      () => accumulate(dense, 1, new Float32Array(N), { maxElements: 10 }),
      'TOO_MANY_ELEMENTS',
    );
    expectCodecError(() => inspect(sparse, { maxElements: 10 }), 'TOO_MANY_ELEMENTS');
    expectCodecError(() => parseEncoded(dense, { expectedLength: N + 1 }), 'SHAPE_MISMATCH');
    expectCodecError(() => decode(sparse, { expectedLength: 3 }), 'SHAPE_MISMATCH');
    expectCodecError(() => accumulate(sparse, 1, new Float32Array(N - 1)), 'SHAPE_MISMATCH');
    for (const n of [DEFAULT_MAX_ELEMENTS + 1, 0xffffffff])
      expectAllReject(patch(sparse, 8, n, 4), 'TOO_MANY_ELEMENTS');
  });

  it('rejects a kept count above n, and position bytes that cannot hold k positions (BAD_LENGTH)', () => {
    expectAllReject(patch(sparse, SPARSE + 8, N + 1, 4), 'BAD_LENGTH');
    const make = (coding: number, k: number, positions: Uint8Array, n = 100) =>
      buildMessage({
        n,
        valueId: 1,
        sparse: { param: 0.1, k, coding, positions },
        payload: new Uint8Array(4 * k),
      });
    expectAllReject(make(0, 17, Uint8Array.of(0, 0)), 'BAD_LENGTH', 100); // Rice: ≥ 1 bit per position
    expectAllReject(make(1, 3, Uint8Array.of(0, 0)), 'BAD_LENGTH', 100); // varint: ≥ 1 byte per position
    expectAllReject(make(2, 1, new Uint8Array(12)), 'BAD_LENGTH', 100); // bitmap: ⌈n/8⌉ = 13 bytes
    // a position byte count larger than what remains
    const big = patch(sparse, SPARSE + 16, 1000, 4);
    expectAllReject(big, 'TRUNCATED');
  });

  it('rejects positions that run past n or disagree with k, when positions are decoded', () => {
    const cases: [string, number, number, number, Uint8Array, CodecErrorCode][] = [
      ['Rice gap past n', 0, 1, 4, Uint8Array.of(0xcd, 0x14), 'BAD_LENGTH'], // 3 6 11 15 with n = 12
      ['Rice unary run past n', 0, 0, 1, Uint8Array.of(0xff, 0xff), 'BAD_LENGTH'],
      ['Rice trailing byte', 0, 1, 4, Uint8Array.of(0xcd, 0x14, 0), 'BAD_LENGTH'],
      ['Rice parameter 25', 0, 25, 1, Uint8Array.of(0, 0, 0, 0), 'BAD_PARAM'],
      ['varint gap past n', 1, 0, 2, Uint8Array.of(3, 20), 'BAD_LENGTH'],
      ['varint bytes left over', 1, 0, 2, Uint8Array.of(3, 2, 1), 'BAD_LENGTH'],
      ['varint runs off the end', 1, 0, 2, Uint8Array.of(3, 0x80), 'TRUNCATED'],
      ['bitmap popcount above k', 2, 0, 2, Uint8Array.of(0x48, 0x08), 'BAD_LENGTH'],
      ['bitmap popcount below k', 2, 0, 4, Uint8Array.of(0x48, 0x04), 'BAD_LENGTH'],
      ['bitmap bit past n', 2, 0, 3, Uint8Array.of(0x48, 0x10), 'BAD_LENGTH'],
    ];
    for (const [what, coding, riceBits, k, positions, code] of cases) {
      const msg = buildMessage({
        n: 12,
        valueId: 1,
        sparse: { param: 0.25, k, coding, riceBits, positions },
        payload: f32Bytes(new Array<number>(k).fill(1)),
      });
      const t = parseEncoded(msg); // the header is consistent; the position bytes lie
      expect([what, codeOf(() => decodePositions(t.sparse!, t.n))]).toEqual([what, code]);
      expect([what, codeOf(() => decode(msg))]).toEqual([what, code]);
      expect([what, codeOf(() => accumulate(msg, 1, new Float32Array(12)))]).toEqual([what, code]);
    }
  });

  it('rejects a value payload of the wrong length (TRUNCATED short, BAD_LENGTH long)', () => {
    const payload = concat(f32Bytes([1]), new Uint8Array(N));
    expect(decode(buildMessage({ n: N, valueId: 4, param: 8, payload })).length).toBe(N);
    expectAllReject(buildMessage({ n: N, valueId: 4, param: 8, payload: payload.subarray(1) }), 'TRUNCATED');
    expectAllReject(
      buildMessage({ n: N, valueId: 4, param: 8, payload: concat(payload, Uint8Array.of(0)) }),
      'BAD_LENGTH',
    );
    // the same lie told by the chunk size: 40 values in chunks of 8 need 5 scales, not 1
    expectAllReject(buildMessage({ n: N, valueId: 4, param: 8, chunk: 8, payload }), 'TRUNCATED');
    // and by the element count of a dense message
    expectAllReject(patch(dense, 8, N + 1, 4), 'TRUNCATED', N + 1);
    expectAllReject(patch(dense, 8, N - 1, 4), 'BAD_LENGTH', N - 1);
  });

  it('rejects stage parameters no encoder writes (BAD_PARAM)', () => {
    const bad: [number, number, number][] = [
      [1, 1, 0], // f32 takes no parameter
      [2, 0, 16], // f16 takes no chunk
      [4, 9, 0], // q: 2–8 bits
      [4, 1, 0],
      [5, 0, 0],
      [6, 9, 0],
      [7, 0, 512], // qsgd: 1–32767 levels
      [7, 40000, 512],
      [8, 1, 0], // kmeans: 2–256 centroids
      [8, 257, 0],
      [9, 2, 0], // sign takes no parameter
      [10, 3, 0], // ternary takes no parameter
    ];
    for (const [valueId, param, chunk] of bad)
      expectAllReject(
        buildMessage({ n: 0, valueId, param, chunk, payload: new Uint8Array(0) }),
        'BAD_PARAM',
        0,
      );
    const sp = (param: number, sparsifierId: number, coding: number) =>
      buildMessage({
        n: 8,
        sparsifierId,
        valueId: 1,
        sparse: { param, k: 1, coding, positions: coding === 3 ? new Uint8Array(0) : Uint8Array.of(0) },
        payload: f32Bytes([1]),
      });
    expect(decode(sp(0.1, 1, 1))[0]).toBe(1);
    for (const p of [NaN, Infinity, -0.5]) expectAllReject(sp(p, 1, 1), 'BAD_PARAM', 8);
    expectAllReject(sp(0.1, 3, 1), 'BAD_PARAM', 8); // random-k must be seeded
    expectAllReject(sp(0.1, 1, 3), 'BAD_PARAM', 8); // and only random-k may be
  });

  it('rejects NaN/Inf scales, codebooks and payload values with a valid checksum (NON_FINITE)', () => {
    const payloads: [number, number, number, Uint8Array][] = [
      [1, 0, 0, f32Bytes([1, NaN])],
      [1, 0, 0, f32Bytes([-Infinity, 1])],
      [2, 0, 0, Uint8Array.of(0, 0x3c, 0x00, 0xfc)],
      [3, 0, 0, Uint8Array.of(0xc1, 0xff, 0, 0)],
      [4, 8, 0, concat(f32Bytes([NaN]), Uint8Array.of(1, 2))],
      [5, 4, 0, concat(f32Bytes([Infinity]), Uint8Array.of(1))],
      [6, 8, 0, concat(f32Bytes([NaN]), Uint8Array.of(0, 1, 2))],
      [7, 4, 512, concat(f32Bytes([Infinity]), Uint8Array.of(0))],
      [8, 2, 0, concat(f32Bytes([0, NaN]), Uint8Array.of(0))],
      [9, 0, 0, concat(f32Bytes([NaN]), Uint8Array.of(0))],
      [10, 0, 0, concat(f32Bytes([-Infinity]), Uint8Array.of(0))],
    ];
    for (const [valueId, param, chunk, payload] of payloads)
      expectDecodeRejects(buildMessage({ n: 2, valueId, param, chunk, payload }), 'NON_FINITE', 2);
  });

  it('rejects kmeans indices ≥ k, ternary bytes ≥ 243 and QSGD levels > s (BAD_VALUE)', () => {
    const msgs = [
      buildMessage({
        n: 2,
        valueId: 8,
        param: 3,
        payload: concat(f32Bytes([0, 1, 2]), Uint8Array.of(0b1100)),
      }),
      buildMessage({ n: 2, valueId: 10, payload: concat(f32Bytes([1]), Uint8Array.of(250)) }),
      buildMessage({
        n: 2,
        valueId: 7,
        param: 2,
        chunk: 512,
        payload: concat(f32Bytes([1]), Uint8Array.of(0b110)),
      }),
      buildMessage({ n: 2, valueId: 6, param: 2, payload: concat(f32Bytes([1]), Uint8Array.of(4, 0)) }),
    ];
    for (const m of msgs) expectDecodeRejects(m, 'BAD_VALUE', 2);
  });

  it('does not allocate from a huge n: only maxElements bounds it, and parsing is O(message)', () => {
    // topk with n = 2^27 claimed but one kept value at position 0: 61 bytes on the wire.
    const huge = buildMessage({
      n: DEFAULT_MAX_ELEMENTS,
      valueId: 1,
      sparse: { param: 1e-8, k: 1, coding: 0, riceBits: 0, positions: Uint8Array.of(0) },
      payload: f32Bytes([2.5]),
    });
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    const t = parseEncoded(huge);
    const info = inspect(huge);
    const pos = decodePositions(t.sparse!, t.n); // O(k), not O(n)
    expect(performance.now() - t0).toBeLessThan(100);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    expect([info.n, info.kept, info.bytes]).toEqual([DEFAULT_MAX_ELEMENTS, 1, huge.length]);
    expect(Array.from(pos)).toEqual([0]);
    // accumulate checks the sum's length before anything else; decode is bounded by maxElements
    expectCodecError(() => accumulate(huge, 1, new Float32Array(10)), 'SHAPE_MISMATCH');
    expectCodecError(() => decode(huge, { maxElements: 1 << 20 }), 'TOO_MANY_ELEMENTS');
    expectAllReject(patch(huge, 8, DEFAULT_MAX_ELEMENTS + 1, 4), 'TOO_MANY_ELEMENTS', 1);
    // a dense or random-k message must carry a payload for what it claims: rejected before allocating
    // (accumulate is left out: its sum would have to be 2^26 long to get past the length check)
    const denseHuge = buildMessage({ n: 1 << 26, valueId: 1, payload: f32Bytes([1]) });
    for (const run of [() => parseEncoded(denseHuge), () => decode(denseHuge), () => inspect(denseHuge)])
      expectCodecError(run, 'TRUNCATED');
    const seededHuge = buildMessage({
      n: 1 << 26,
      sparsifierId: 3,
      valueId: 9,
      sparse: { param: 1, k: 1 << 26, coding: 3, word: 12345 },
      payload: concat(f32Bytes([1]), new Uint8Array(8)),
    });
    for (const run of [() => parseEncoded(seededHuge), () => decode(seededHuge), () => inspect(seededHuge)])
      expectCodecError(run, 'TRUNCATED');
  });

  describe('fuzz: random mutations only ever raise CodecError, quickly', () => {
    const originals = ALL_SPECS.map((s, i) => createCodec(s).encode(gaussian(30 + (i % 7), i), i));
    const limits = { maxElements: 1 << 16 };
    /** Runs every entry point; returns the slowest time in ms. Anything but a CodecError fails. */
    function survive(msg: Uint8Array): number {
      let slowest = 0;
      const n = msg.length >= 12 ? new DataView(msg.buffer, msg.byteOffset).getUint32(8, true) : 0;
      const sum = new Float64Array(Math.min(n, 1 << 16));
      for (const run of [
        () => decode(msg, limits),
        () => accumulate(msg, 0.5, sum, limits),
        () => inspect(msg, limits),
        () => {
          const t = parseEncoded(msg, limits);
          if (t.sparse) decodePositions(t.sparse, t.n);
        },
      ]) {
        const t0 = performance.now();
        try {
          run();
        } catch (e) {
          if (!(e instanceof CodecError)) throw e;
        }
        slowest = Math.max(slowest, performance.now() - t0);
      }
      return slowest;
    }
    const mutation = fc.record({
      which: fc.nat(),
      edits: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 4 }),
      fixCrc: fc.boolean(),
      resize: fc.oneof(fc.constant(0), fc.integer({ min: -8, max: 8 })),
      at: fc.integer({ min: 0, max: 7 }),
    });

    it('with and without the CRC fixed up', () => {
      let slowest = 0;
      fc.assert(
        fc.property(mutation, ({ which, edits, fixCrc, resize, at }) => {
          let msg: Uint8Array = Uint8Array.from(originals[which % originals.length]!);
          for (const [off, byte] of edits) msg[off % msg.length] = byte;
          if (resize < 0) msg = msg.slice(0, Math.max(0, msg.length + resize));
          if (resize > 0) msg = concat(msg, new Uint8Array(resize).fill(resize));
          if (fixCrc && msg.length >= 4) msg = withCrc(msg);
          slowest = Math.max(slowest, survive(viewAt(msg, at)));
        }),
        { numRuns: Number(process.env['FEDZIP_FUZZ_RUNS'] ?? 1500) }, // raise it for a long local fuzz
      );
      expect(slowest).toBeLessThan(250);
    });

    it('with header fields set to extreme values (CRC fixed)', () => {
      const fields: [number, 1 | 2 | 4 | 8][] = [
        [4, 4],
        [8, 4],
        [12, 1],
        [13, 1],
        [16, 8],
        [24, 4],
        [28, 1],
        [29, 1],
        [32, 4],
      ];
      const extremes = [0, 1, 2, 3, 7, 8, 24, 25, 0xff, 0xffff, 0x7fffffff, 0xffffffff, DEFAULT_MAX_ELEMENTS];
      let slowest = 0;
      for (const msg of originals) {
        for (const [off, width] of fields) {
          if (off + width > msg.length - 4) continue;
          for (const v of extremes) {
            if (width === 8) {
              for (const f of [NaN, -1, 0, 1e300, Infinity])
                slowest = Math.max(slowest, survive(patch(msg, off, f, 'f64')));
              continue;
            }
            slowest = Math.max(
              slowest,
              survive(patch(msg, off, width === 1 ? v & 0xff : width === 2 ? v & 0xffff : v >>> 0, width)),
            );
          }
        }
        // the value header, wherever it is
        const vo = valueAt(msg);
        for (const v of extremes) {
          slowest = Math.max(slowest, survive(patch(msg, vo, v & 0xffff, 2)));
          slowest = Math.max(slowest, survive(patch(msg, vo + 4, v >>> 0, 4)));
        }
      }
      expect(slowest).toBeLessThan(250);
    });
  });
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return e instanceof CodecError ? e.code : `not a CodecError: ${String(e)}`;
  }
}
