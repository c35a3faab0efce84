/**
 * Golden vectors: the exact bytes of small fixed inputs, one per value codec and per sparse
 * pipeline. They pin the wire format of docs/wire-format.md and the reference encoder's choices:
 * any change to any byte fails here. A layout change needs a new FORMAT_VERSION, not new vectors
 * (docs/wire-format.md, "Versioning policy").
 *
 * GOLDEN, VARINT_HEX and BITMAP_HEX are written as version 1 (flags 0), which decoders still read
 * byte for byte. The encoder now writes version 2: for these vectors (none of them is short
 * enough coded) its bytes are the version-1 bytes with the version byte 2 and the CRC-32 redone
 * ({@link asV2}). CODED holds version-2 vectors whose q8/q4 codes are entropy-coded (flags 1).
 *
 * Each vector is written one section per line, fields separated by spaces:
 *   header        magic · version · flags · total length · n · sparsifier id · value id · reserved
 *   sparse        parameter (f64) · k · coding · Rice b · reserved · position bytes P (or seed)
 *   positions     P bytes (Rice, varint or bitmap)
 *   value header  param · reserved · chunk
 *   payload       the value codec's bytes (coded: scales · Rice r, base · Rice bit stream)
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
import { decode, decodePositions } from './decode.js';
import { inspect } from './inspect.js';
import { parseEncoded } from './parse.js';

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

/** X16, then X16 / 8 reversed: large and small magnitudes. */
const X32 = [...X16, ...X16.map((v) => v / 8).reverse()];
/** 128 Laplace-like values: |x| = ln(128 / (j + ½)), j = 37i mod 128, signs alternating, in 1/64ths. */
const LAPLACE128 = Array.from(
  { length: 128 },
  (_, i) => ((i % 2 ? -1 : 1) * Math.round(64 * Math.log(128 / (((37 * i) % 128) + 0.5)))) / 64,
);

/** Version 2 with entropy-coded codes (flags bit 0): r and base follow the scales. */
const CODED: Golden[] = [
  {
    spec: 'q8',
    input: X32,
    seed: 7,
    hex: [
      '465a 02 01 3f000000 20000000 00 04 0000',
      '0800 0000 00000000',
      '0683c13c', // Δ = 3/127
      '0400', // Rice r = 4, base 0
      '95abe02b83cadf9fb2cc077e3a00aa7fc43301a143405082026a01d700',
      '2eab8f3d',
    ],
    decoded: [
      0.4960629940032959, -1.251968502998352, 0, 2.007874011993408, -0.7559055089950562, 0.11811023950576782,
      -3, 0.9921259880065918, 0.25984251499176025, -0.07086613774299622, 1.5118110179901123,
      -2.503937005996704, 0.3779527544975281, 0, -0.4960629940032959, 2.74015736579895, 0.35433071851730347,
      -0.07086613774299622, 0, 0.04724409431219101, -0.30708661675453186, 0.18897637724876404, 0,
      0.023622047156095505, 0.11811023950576782, -0.3779527544975281, 0.023622047156095505,
      -0.09448818862438202, 0.25984251499176025, 0, -0.16535432636737823, 0.07086613774299622,
    ],
  },
  {
    spec: 'q4',
    input: X32,
    seed: 7,
    hex: [
      '465a 02 01 2e000000 20000000 00 04 0000',
      '0400 0000 00000000',
      'b76ddb3e', // Δ = 3/7
      '0000', // Rice r = 0, base 0
      'b93eebefc4f98dfe04851200',
      'e61b2f34',
    ],
    decoded: [
      0.4285714328289032, -1.2857142686843872, 0, 2.142857074737549, -0.8571428656578064, 0, -3,
      0.8571428656578064, 0.4285714328289032, 0, 1.2857142686843872, -2.5714285373687744, 0.4285714328289032,
      0, -0.4285714328289032, 2.5714285373687744, 0.4285714328289032, 0, 0, 0, -0.4285714328289032, 0, 0, 0,
      0, -0.4285714328289032, 0, 0, 0.4285714328289032, 0, 0, 0,
    ],
  },
  {
    spec: 'topk:0.25+q8',
    input: LAPLACE128,
    seed: 7,
    hex: [
      '465a 02 01 5f000000 80000000 01 04 0000',
      '000000000000d03f 20000000 00 02 0000 0d000000',
      '304dd3cca4699a66264dd33413',
      '0800 0000 00000000',
      'cce5323d', // Δ = 5.546875/127
      '0420', // Rice r = 4, base 32
      'dfa34eba23489bac04b167e53566d12c0951cf3e050dab39a20b2674',
      '08173689',
    ],
    decoded: [], // checked against the raw (version 1) message of the same codes below
  },
];

const hexOf = (rows: string[]) => rows.join('').replace(/\s+/g, '');

/** A version-1 vector as the encoder now writes it: version byte 2, CRC-32 recomputed. */
function asV2(hex: string): string {
  const bytes = fromHex(hex);
  bytes[2] = 2;
  new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes.subarray(0, bytes.length - 4)), true);
  return toHex(bytes);
}

describe('golden vectors (wire format v2, and v1 still read)', () => {
  it.each(GOLDEN)(
    '$spec encodes to its golden bytes and decodes back',
    ({ spec, input, seed, hex, decoded }) => {
      const e = createCodec(spec).encode(Float32Array.from(input), seed);
      expect(toHex(e)).toBe(asV2(hexOf(hex)));
      expect(inspect(e).values.coded).toBe(false);
      expect(Array.from(decode(fromHex(hexOf(hex))))).toEqual(decoded);
      expect(Array.from(decode(e))).toEqual(decoded);
      expect(inspect(e).spec).toBe(createCodec(spec).id);
      expect(inspect(fromHex(hexOf(hex))).version).toBe(1);
    },
  );

  // The encoder codes only sparse payloads (encode.ts); the dense vectors stay decode-only.
  const SPARSE_CODED = CODED.filter((g) => g.spec.includes('+'));

  it('dense q/sq encode raw, the fast path: the dense coded vectors are decode-only', () => {
    for (const { spec, input, seed } of CODED.filter((g) => !SPARSE_CODED.includes(g))) {
      const e = createCodec(spec).encode(Float32Array.from(input), seed);
      expect([spec, inspect(e).values.coded]).toEqual([spec, false]);
    }
  });

  it.each(SPARSE_CODED)(
    '$spec with entropy-coded codes: encodes to its golden bytes',
    ({ spec, input, seed, hex }) => {
      const e = createCodec(spec).encode(Float32Array.from(input), seed);
      expect(toHex(e)).toBe(hexOf(hex));
      expect(inspect(e)).toMatchObject({ version: 2, values: { coded: true, bytes: expect.any(Number) } });
      expect(inspect(e).values.bytes).toBeLessThan(inspect(e).values.rawBytes);
    },
  );

  it('coded vectors decode to their values, the same as their raw form', () => {
    for (const { hex, decoded } of CODED.filter((g) => g.decoded.length > 0))
      expect(Array.from(decode(fromHex(hexOf(hex))))).toEqual(decoded);
  });

  it('varint positions: encodes to its golden bytes', () => {
    const e = createCodec('topk:0.0002').encode(VARINT_INPUT, 1);
    expect(toHex(e)).toBe(asV2(hexOf(VARINT_HEX)));
    expect(Array.from(decode(fromHex(hexOf(VARINT_HEX))))).toEqual(Array.from(VARINT_INPUT));
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
    expect(dump.join('')).toBe(asV2(hexOf(GOLDEN.find((g) => g.spec === 'topk:0.25+q8')!.hex)));
  });

  it('every vector ends in the CRC-32 (IEEE) of the bytes before it, and states its own length', () => {
    for (const rows of [...GOLDEN.map((g) => g.hex), ...CODED.map((g) => g.hex), VARINT_HEX, BITMAP_HEX]) {
      const bytes = fromHex(hexOf(rows));
      const view = new DataView(bytes.buffer);
      expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes.subarray(0, bytes.length - 4)));
      expect(view.getUint32(4, true)).toBe(bytes.length);
    }
  });

  describe('rebuilt by hand from docs/wire-format.md', () => {
    /** Symmetric 8-bit codes by the documented formula: round-half-up(x/Δ) + 127. */
    const q8 = (xs: number[], delta: number) => Uint8Array.from(xs, (x) => Math.floor(x / delta + 0.5) + 127);
    const golden = (spec: string) => asV2(hexOf(GOLDEN.find((g) => g.spec === spec)!.hex));

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

    /** Rice codes of |q| − base (r low bits LSB-first), a sign bit when q ≠ 0; zero-padded bytes. */
    function riceCoded(qs: number[], r: number, base: number): Uint8Array {
      let bits = '';
      for (const q of qs) {
        const u = Math.abs(q) - base;
        bits += '1'.repeat(u >> r) + '0';
        for (let j = 0; j < r; j++) bits += String((u >> j) & 1);
        if (q !== 0) bits += q < 0 ? '1' : '0';
      }
      const bytes = Math.ceil(bits.length / 8);
      return Uint8Array.from({ length: bytes }, (_, i) =>
        parseInt([...bits.slice(8 * i, 8 * i + 8).padEnd(8, '0')].reverse().join(''), 2),
      );
    }
    /** The documented choice: base = min |q|, r ∈ [0, b − 1] with the fewest bits (ties: smallest). */
    function riceChoice(qs: number[], b: number): { r: number; base: number } {
      const base = Math.min(...qs.map(Math.abs));
      const cost = (r: number) =>
        qs.reduce((a, q) => a + ((Math.abs(q) - base) >> r) + 1 + r + (q !== 0 ? 1 : 0), 0);
      let r = 0;
      for (let t = 1; t < b; t++) if (cost(t) < cost(r)) r = t;
      return { r, base };
    }
    const coded = (spec: string, input: number[]) =>
      hexOf(CODED.find((g) => g.spec === spec && g.input === input)!.hex);

    it('coded q8: the scales, u8 r, u8 base, then per code unary((|q| − base) >> r), r low bits, sign', () => {
      const delta = Math.fround(3 / 127);
      const qs = X32.map((x) => Math.floor(x / delta + 0.5));
      const { r, base } = riceChoice(qs, 8);
      expect([r, base]).toEqual([4, 0]);
      const payload = concat(f32Bytes([delta]), Uint8Array.of(r, base), riceCoded(qs, r, base));
      expect(payload.length).toBeLessThan(4 + 32); // else the encoder would send the raw codes
      const msg = buildMessage({ n: 32, valueId: 4, param: 8, flags: 1, payload });
      expect(toHex(msg)).toBe(coded('q8', X32));
    });

    it('coded topk:0.25+q8: top-k magnitudes start above the threshold, so base > 0', () => {
      const kept = LAPLACE128.map((x, i) => [x, i] as const)
        .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]))
        .slice(0, 32)
        .sort((a, b) => a[1] - b[1]);
      const delta = Math.fround(Math.max(...kept.map(([x]) => Math.abs(x))) / 127);
      const qs = kept.map(([x]) => Math.floor(x / delta + 0.5));
      const { r, base } = riceChoice(qs, 8);
      expect([r, base]).toEqual([4, 32]);
      const positions = fromHex('304dd3cca4699a66264dd33413');
      const sparse = { param: 0.25, k: 32, coding: 0, riceBits: 2, positions };
      const msg = buildMessage({
        n: 128,
        sparsifierId: 1,
        valueId: 4,
        flags: 1,
        sparse,
        param: 8,
        payload: concat(f32Bytes([delta]), Uint8Array.of(r, base), riceCoded(qs, r, base)),
      });
      expect(toHex(msg)).toBe(coded('topk:0.25+q8', LAPLACE128));
      // The same codes uncoded (flags 0) decode to the same values, bit for bit.
      const raw = buildMessage({
        n: 128,
        sparsifierId: 1,
        valueId: 4,
        sparse,
        param: 8,
        payload: concat(
          f32Bytes([delta]),
          Uint8Array.from(qs, (q) => q + 127),
        ),
      });
      expect(Array.from(decode(msg))).toEqual(Array.from(decode(raw)));
      expect(Array.from(decodePositions(parseEncoded(msg).sparse!, 128))).toEqual(kept.map(([, i]) => i));
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
      expect(toHex(msg)).toBe(asV2(hexOf(VARINT_HEX)));
    });

    it('bitmap: bit p of byte p >> 3 set for each kept p (3 6 | 11 15 → 48 88)', () => {
      const msg = buildMessage({
        n: 16,
        sparsifierId: 1,
        valueId: 1,
        sparse: { param: 0.25, k: 4, coding: 2, positions: Uint8Array.of(0x48, 0x88) },
        payload: f32Bytes([2, -3, -2.5, 2.75]),
        version: 1,
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
