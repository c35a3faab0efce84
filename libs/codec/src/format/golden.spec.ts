/**
 * Golden vectors: the exact bytes of small fixed inputs, one per value codec and per sparse
 * pipeline. They pin the wire format of docs/wire-format.md (version 1) and the reference
 * encoder's choices: any change to any byte fails here. A layout change needs a new
 * FORMAT_VERSION, not new vectors (docs/wire-format.md, "Versioning policy").
 *
 * Each vector is written one section per line, fields separated by spaces:
 *   header        magic · version · flags · total length · n · sparsifier id · value id · reserved
 *   sparse        parameter (f64) · k · coding · Rice b · reserved · position bytes P (or seed)
 *   positions     P bytes (Rice, varint or bitmap)
 *   value header  param · reserved · chunk
 *   payload       the value codec's bytes
 *   CRC-32        of every byte before it
 * The "by hand" tests below rebuild some of them from the documented layout and formulas alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { createCodec } from '../codec.js';
import { createRng } from '../rng.js';
import { randomPositions } from '../sparsify/randk.js';
import { buildMessage, concat, f32Bytes, fromHex, toHex } from '../__tests__/helpers.js';
import { crc32 } from './checksum.js';
import { decode } from './decode.js';
import { inspect } from './inspect.js';

const X16 = [0.5, -1.25, 0, 2, -0.75, 0.125, -3, 1, 0.25, -0.0625, 1.5, -2.5, 0.375, 0, -0.5, 2.75];
const X8 = X16.slice(0, 8);

interface Golden {
  spec: string;
  input: number[];
  seed: number;
  hex: string[];
  decoded: number[];
}

const GOLDEN: Golden[] = [
  {
    spec: 'none',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 3c000000 08000000 00 01 0000',
      '0000 0000 00000000',
      '0000003f0000a0bf0000000000000040000040bf0000003e000040c0',
      '0000803f',
      'ac9f2954',
    ],
    decoded: [0.5, -1.25, 0, 2, -0.75, 0.125, -3, 1],
  },
  {
    spec: 'f16',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 2c000000 08000000 00 02 0000',
      '0000 0000 00000000',
      '003800bd0000004000ba003000c2003c',
      'ee882ae7',
    ],
    decoded: [0.5, -1.25, 0, 2, -0.75, 0.125, -3, 1],
  },
  {
    spec: 'bf16',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 2c000000 08000000 00 03 0000',
      '0000 0000 00000000',
      '003fa0bf0000004040bf003e40c0803f',
      '4da863c2',
    ],
    decoded: [0.5, -1.25, 0, 2, -0.75, 0.125, -3, 1],
  },
  {
    spec: 'q8',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 28000000 08000000 00 04 0000',
      '0800 0000 00000000',
      '0683c13c944a7fd45f8400a9',
      '22dd5991',
    ],
    decoded: [
      0.4960629940032959, -1.251968502998352, 0, 2.007874011993408, -0.7559055089950562, 0.11811023950576782,
      -3, 0.9921259880065918,
    ],
  },
  {
    spec: 'q4',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 24000000 08000000 00 04 0000', '0400 0000 00000000', 'b76ddb3e48c77590', 'b9e45775'],
    decoded: [
      0.4285714328289032, -1.2857142686843872, 0, 2.142857074737549, -0.8571428656578064, 0, -3,
      0.8571428656578064,
    ],
  },
  {
    spec: 'q3(chunk=3)',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 2b000000 08000000 00 04 0000',
      '0300 0000 03000000',
      '5555d53eabaa2a3f0000803fc4ac81',
      'e5587efa',
    ],
    decoded: [0.4166666567325592, -1.25, 0, 2, -0.6666666865348816, 0, -3, 1],
  },
  {
    spec: 'sq4',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 24000000 08000000 00 05 0000', '0400 0000 00000000', 'b76ddb3e48b77590', 'b10c44f6'],
    decoded: [
      0.4285714328289032, -1.2857142686843872, 0, 1.7142857313156128, -0.8571428656578064, 0, -3,
      0.8571428656578064,
    ],
  },
  {
    spec: 'aq8',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 29000000 08000000 00 06 0000',
      '0800 0000 00000000',
      'a1a0a03c99b25999ff739f00cc',
      'c0b90cca',
    ],
    decoded: [0.4901961088180542, -1.2549020051956177, 0, 2, -0.7450980544090271, 0.11764706671237946, -3, 1],
  },
  {
    spec: 'aq3',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 24000000 08000000 00 06 0000', '0300 0000 00000000', '6edb363f04153fa2', 'a8dcd9ac'],
    decoded: [
      0.7142857313156128, -1.4285714626312256, 0, 2.142857074737549, -0.7142857313156128, 0,
      -2.857142925262451, 0.7142857313156128,
    ],
  },
  {
    spec: 'qsgd:4',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 24000000 08000000 00 07 0000', '0400 0000 00020000', '0000404050400329', '49367333'],
    decoded: [0, -1.5, 0, 1.5, -0.75, 0, -3, 0.75],
  },
  {
    spec: 'qsgd:2(chunk=4)',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 27000000 08000000 00 07 0000',
      '0200 0000 04000000',
      '0000004000004040281854',
      '132ddd56',
    ],
    decoded: [0, -2, 0, 2, -0, 0, -3, 1.5], // −0.75 lands on level 0, keeping its sign bit
  },
  {
    spec: 'kmeans:4',
    input: X8,
    seed: 42,
    hex: [
      '465a 01 00 2e000000 08000000 00 08 0000',
      '0400 0000 00000000',
      '000040c0000080bf0000d03e00000040e689',
      '3e784448',
    ],
    decoded: [0.40625, -1, 0.40625, 2, -1, 0.40625, -3, 0.40625],
  },
  {
    spec: 'sign',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 21000000 08000000 00 09 0000', '0000 0000 00000000', '00008a3f52', 'a3e9d926'],
    decoded: [1.078125, -1.078125, 1.078125, 1.078125, -1.078125, 1.078125, -1.078125, 1.078125],
  },
  {
    spec: 'sign(chunk=4)',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 25000000 08000000 00 09 0000', '0000 0000 04000000', '0000703f00009c3f52', '78d3e666'],
    decoded: [0.9375, -0.9375, 0.9375, 0.9375, -1.21875, 1.21875, -1.21875, 1.21875],
  },
  {
    spec: 'ternary',
    input: X8,
    seed: 42,
    hex: ['465a 01 00 22000000 08000000 00 0a 0000', '0000 0000 00000000', '000040401c07', '6da4f58a'],
    decoded: [3, 0, 0, 3, 0, 3, -3, 0],
  },
  {
    spec: 'topk:0.25+q8',
    input: X16,
    seed: 7,
    hex: [
      '465a 01 00 3a000000 10000000 01 04 0000',
      '000000000000d03f 04000000 00 01 0000 02000000',
      'cd14',
      '0800 0000 00000000',
      '0683c13cd40015f3',
      '4d9fafd9',
    ],
    decoded: [
      0, 0, 0, 2.007874011993408, 0, 0, -3, 0, 0, 0, 0, -2.503937005996704, 0, 0, 0, 2.74015736579895,
    ],
  },
  {
    spec: 'topk:0.25',
    input: X16,
    seed: 7,
    hex: [
      '465a 01 00 42000000 10000000 01 01 0000',
      '000000000000d03f 04000000 00 01 0000 02000000',
      'cd14',
      '0000 0000 00000000',
      '00000040000040c0000020c000003040',
      '9308b128',
    ],
    decoded: [0, 0, 0, 2, 0, 0, -3, 0, 0, 0, 0, -2.5, 0, 0, 0, 2.75],
  },
  {
    spec: 'approx-topk:0.25+sign',
    input: X16,
    seed: 7,
    hex: [
      '465a 01 00 37000000 10000000 02 09 0000',
      '000000000000d03f 04000000 00 01 0000 02000000',
      'cd14',
      '0000 0000 00000000',
      '0000244006',
      '678d8c2f',
    ],
    decoded: [0, 0, 0, 2.5625, 0, 0, -2.5625, 0, 0, 0, 0, -2.5625, 0, 0, 0, 2.5625],
  },
  {
    spec: 'randk:0.25+q8',
    input: X16,
    seed: 7,
    hex: [
      '465a 01 00 38000000 10000000 03 04 0000',
      '000000000000d03f 04000000 03 00 0000 fb756d2f',
      '0800 0000 00000000',
      '8542a13c7f8c0066',
      'b0c89c75',
    ],
    decoded: [0, 0, 0, 0, 0, 0, 0, 0, 0.25590550899505615, 0, 0, -2.5, 0, 0, -0.4921259880065918, 0],
  },
  {
    spec: 'thresh:1+f16',
    input: X16,
    seed: 7,
    hex: [
      '465a 01 00 40000000 10000000 04 02 0000',
      '000000000000f03f 07000000 00 00 0000 02000000',
      '3573',
      '0000 0000 00000000',
      '00bd004000c2003c003e00c18041',
      'f526e712',
    ],
    decoded: [0, -1.25, 0, 2, 0, 0, -3, 1, 0, 0, 1.5, -2.5, 0, 0, 0, 2.75],
  },
];

/** topk on n = 10,000 with two far-apart values: varint positions are the cheapest. */
const VARINT_INPUT = (() => {
  const x = new Float32Array(10_000);
  x[3] = 1;
  x[9000] = -2;
  return x;
})();
const VARINT_HEX = [
  '465a 01 00 3b000000 10270000 01 01 0000',
  '2d431cebe2362a3f 02000000 01 00 0000 03000000',
  '03a446',
  '0000 0000 00000000',
  '0000803f000000c0',
  '1f6ed9d4',
];

/** The encoder never picks a bitmap (Rice with b = 0 never costs more), so this one is decode-only. */
const BITMAP_HEX = [
  '465a 01 00 42000000 10000000 01 01 0000',
  '000000000000d03f 04000000 02 00 0000 02000000',
  '4888',
  '0000 0000 00000000',
  '00000040000040c0000020c000003040',
  'd30d80ea',
];

const hexOf = (rows: string[]) => rows.join('').replace(/\s+/g, '');

describe('golden vectors (wire format v1)', () => {
  it.each(GOLDEN)(
    '$spec encodes to its golden bytes and decodes back',
    ({ spec, input, seed, hex, decoded }) => {
      const e = createCodec(spec).encode(Float32Array.from(input), seed);
      expect(toHex(e)).toBe(hexOf(hex));
      expect(Array.from(decode(fromHex(hexOf(hex))))).toEqual(decoded);
      expect(inspect(e).spec).toBe(createCodec(spec).id);
    },
  );

  it('varint positions: encodes to its golden bytes', () => {
    const e = createCodec('topk:0.0002').encode(VARINT_INPUT, 1);
    expect(toHex(e)).toBe(hexOf(VARINT_HEX));
    expect(inspect(e).positions?.coding).toBe('varint');
    expect(Array.from(decode(e))).toEqual(Array.from(VARINT_INPUT));
  });

  it('bitmap positions: decodes its golden bytes', () => {
    const y = decode(fromHex(hexOf(BITMAP_HEX)));
    expect(Array.from(y)).toEqual([0, 0, 0, 2, 0, 0, -3, 0, 0, 0, 0, -2.5, 0, 0, 0, 2.75]);
    expect(inspect(fromHex(hexOf(BITMAP_HEX))).positions?.coding).toBe('bitmap');
  });

  it('docs/wire-format.md shows the topk:0.25+q8 vector as its worked example, byte for byte', () => {
    const doc = readFileSync(new URL('../../../../docs/wire-format.md', import.meta.url), 'utf8');
    const dump = [...doc.matchAll(/^[0-9a-f]{8}: ((?:[0-9a-f]{2} )+)/gm)].map((m) => m[1]!.replace(/ /g, ''));
    expect(dump.join('')).toBe(hexOf(GOLDEN.find((g) => g.spec === 'topk:0.25+q8')!.hex));
  });

  it('every vector ends in the CRC-32 (IEEE) of the bytes before it, and states its own length', () => {
    for (const rows of [...GOLDEN.map((g) => g.hex), VARINT_HEX, BITMAP_HEX]) {
      const bytes = fromHex(hexOf(rows));
      const view = new DataView(bytes.buffer);
      expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes.subarray(0, bytes.length - 4)));
      expect(view.getUint32(4, true)).toBe(bytes.length);
    }
  });

  describe('rebuilt by hand from docs/wire-format.md', () => {
    /** Symmetric 8-bit codes by the documented formula: round-half-up(x/Δ) + 127. */
    const q8 = (xs: number[], delta: number) => Uint8Array.from(xs, (x) => Math.floor(x / delta + 0.5) + 127);
    const golden = (spec: string) => hexOf(GOLDEN.find((g) => g.spec === spec)!.hex);

    it('none: the float32 bytes of the input, as they are', () => {
      expect(toHex(buildMessage({ n: 8, valueId: 1, payload: f32Bytes(X8) }))).toBe(golden('none'));
    });

    it('q8: Δ = max|x|/127 as float32, then one byte q + 127 per value', () => {
      const delta = Math.fround(3 / 127);
      const payload = concat(f32Bytes([delta]), q8(X8, delta));
      expect(Array.from(payload.subarray(4))).toEqual([0x94, 0x4a, 0x7f, 0xd4, 0x5f, 0x84, 0x00, 0xa9]);
      expect(toHex(buildMessage({ n: 8, valueId: 4, param: 8, payload }))).toBe(golden('q8'));
    });

    it('q3(chunk=3): one Δ per chunk of 3, then 3-bit codes q + 3 packed LSB-first', () => {
      const chunks = [X8.slice(0, 3), X8.slice(3, 6), X8.slice(6)];
      const deltas = chunks.map((c) => Math.fround(Math.max(...c.map(Math.abs)) / 3));
      const codes = chunks.flatMap((c, i) => c.map((x) => Math.floor(x / deltas[i]! + 0.5) + 3));
      expect(codes).toEqual([4, 0, 3, 6, 2, 3, 0, 4]);
      let bits = 0n;
      codes.forEach((c, i) => (bits |= BigInt(c) << BigInt(3 * i)));
      const packed = Uint8Array.from({ length: 3 }, (_, i) => Number((bits >> BigInt(8 * i)) & 0xffn));
      const msg = buildMessage({
        n: 8,
        valueId: 4,
        param: 3,
        chunk: 3,
        payload: concat(f32Bytes(deltas), packed),
      });
      expect(toHex(msg)).toBe(golden('q3(chunk=3)'));
    });

    it('topk:0.25+q8 (the worked example): Rice b = 1 positions 3 6 11 15, then q8 of the kept values', () => {
      // gaps 3 2 4 3 → (unary q, then low bit): 10·1 10·0 110·0 10·1, LSB-first → cd 14
      const delta = Math.fround(3 / 127);
      const msg = buildMessage({
        n: 16,
        sparsifierId: 1,
        valueId: 4,
        sparse: { param: 0.25, k: 4, coding: 0, riceBits: 1, positions: Uint8Array.of(0xcd, 0x14) },
        param: 8,
        payload: concat(f32Bytes([delta]), q8([2, -3, -2.5, 2.75], delta)),
      });
      expect(toHex(msg)).toBe(golden('topk:0.25+q8'));
    });

    it('randk:0.25+q8: no position bytes, the seed is the first word of the encoder’s rng', () => {
      const seed = createRng(7).nextUint32();
      const pos = Array.from(randomPositions(16, 4, seed));
      const kept = pos.map((p) => X16[p]!);
      const delta = Math.fround(Math.max(...kept.map(Math.abs)) / 127);
      const msg = buildMessage({
        n: 16,
        sparsifierId: 3,
        valueId: 4,
        sparse: { param: 0.25, k: 4, coding: 3, word: seed },
        param: 8,
        payload: concat(f32Bytes([delta]), q8(kept, delta)),
      });
      expect(toHex(msg)).toBe(golden('randk:0.25+q8'));
    });

    it('topk:0.0002 with varint gaps: 3, then 8996 = 0x2324 as LEB128 a4 46', () => {
      const msg = buildMessage({
        n: 10_000,
        sparsifierId: 1,
        valueId: 1,
        sparse: { param: 0.0002, k: 2, coding: 1, positions: Uint8Array.of(0x03, 0xa4, 0x46) },
        payload: f32Bytes([1, -2]),
      });
      expect(toHex(msg)).toBe(hexOf(VARINT_HEX));
    });

    it('bitmap: bit p of byte p >> 3 set for each kept p (3 6 | 11 15 → 48 88)', () => {
      const msg = buildMessage({
        n: 16,
        sparsifierId: 1,
        valueId: 1,
        sparse: { param: 0.25, k: 4, coding: 2, positions: Uint8Array.of(0x48, 0x88) },
        payload: f32Bytes([2, -3, -2.5, 2.75]),
      });
      expect(toHex(msg)).toBe(hexOf(BITMAP_HEX));
    });

    it('sign and ternary: scales, then bits (1 = negative) or five trits per byte', () => {
      const mu = X8.reduce((a, v) => a + Math.abs(v), 0) / 8; // 1.078125
      const signBits = X8.reduce((a, v, i) => a | (v < 0 ? 1 << i : 0), 0); // 0b01010010
      const sign = buildMessage({
        n: 8,
        valueId: 9,
        payload: concat(f32Bytes([mu]), Uint8Array.of(signBits)),
      });
      expect(toHex(sign)).toBe(golden('sign'));
      expect(golden('ternary')).toContain('00004040' + '1c07'); // s = 3; 28 = 1+27: (+ 0 0 + 0), 7 = 1+2·3: (+ − 0)
    });
  });
});
