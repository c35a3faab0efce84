import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { CodecError, type CodecErrorCode } from '../errors.js';
import { accumulate, decode } from '../format/decode.js';
import { inspect } from '../format/inspect.js';
import { parseEncoded } from '../format/parse.js';
import { createRng } from '../rng.js';
import { buildMessage, concat, expectCodecError, f32Bytes, withCrc } from '../__tests__/helpers.js';
import { SetSink, chunkCount } from './sink.js';
import { codeSymmetric, decodeSymmetricCoded, minCodedBytes } from './symmetric-rice.js';
import { stochasticCodec, symmetricCodec } from './symmetric.js';
import type { ValueParams } from './value-codec.js';

/** Bytes of an LSB-first bit string ('0'/'1' in stream order), zero-padded. */
function bitBytes(bits: string): Uint8Array {
  return Uint8Array.from({ length: Math.ceil(bits.length / 8) }, (_, i) =>
    parseInt([...bits.slice(8 * i, 8 * i + 8).padEnd(8, '0')].reverse().join(''), 2),
  );
}

/** A coded dense q<b> message with one scale: Δ, r, base, then `bits`. */
function codedMessage(n: number, b: number, r: number, base: number, bits: string | Uint8Array, delta = 1) {
  const stream = typeof bits === 'string' ? bitBytes(bits) : bits;
  return buildMessage({
    n,
    valueId: 4,
    param: b,
    flags: 1,
    payload: concat(f32Bytes([delta]), Uint8Array.of(r, base), stream),
  });
}

/** Smallest coded size over every r (the brute-force reference of the encoder's choice). */
function bestCodedBytes(codes: readonly number[], b: number, nc: number): number {
  const L = 2 ** (b - 1) - 1;
  const mags = codes.map((c) => Math.abs(c - L));
  const base = Math.min(...mags);
  let best = Infinity;
  for (let r = 0; r < b; r++) {
    const bits = mags.reduce((a, q) => a + ((q - base) >> r) + 1 + r + (q > 0 ? 1 : 0), 0);
    best = Math.min(best, 4 * nc + 2 + Math.ceil(bits / 8));
  }
  return best;
}

/** Unpacked raw codes of a raw payload. */
function rawCodesOf(raw: Uint8Array, m: number, b: number, nc: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    let c = 0;
    for (let j = 0; j < b; j++) c |= ((raw[4 * nc + ((i * b + j) >> 3)]! >> ((i * b + j) & 7)) & 1) << j;
    out.push(c);
  }
  return out;
}

/** Delta-like inputs: geometric-ish integers on a scale, or arbitrary float32s. */
const inputs = fc.oneof(
  fc
    .tuple(
      fc.array(fc.integer({ min: -60, max: 60 }), { maxLength: 400 }),
      fc.double({ min: 1e-6, max: 10, noNaN: true }),
    )
    .map(([ints, s]) => Float32Array.from(ints, (v) => (Math.sign(v) * (v * v * s)) / 60)),
  fc.float32Array({
    noNaN: true,
    noDefaultInfinity: true,
    min: Math.fround(-1e30),
    max: Math.fround(1e30),
    maxLength: 200,
  }),
);

describe('entropy-coded symmetric codes (Rice)', () => {
  it('decode bit-identically to the raw payload, and are used exactly when strictly shorter', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.integer({ min: 2, max: 8 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 })),
        fc.boolean(),
        fc.integer(),
        (x, b, chunk, stochastic, seed) => {
          const codec = stochastic ? stochasticCodec : symmetricCodec;
          const p: ValueParams = { param: b, chunk };
          const m = x.length;
          const nc = chunkCount(m, chunk);
          const raw = new Uint8Array(codec.payloadBytes(m, p));
          codec.encode(x, p, createRng(seed), raw);
          const coded = codeSymmetric(raw, m, p);
          const best = m > 0 ? bestCodedBytes(rawCodesOf(raw, m, b, nc), b, nc) : Infinity;
          if (coded === null) {
            expect(best).toBeGreaterThanOrEqual(raw.length);
            return;
          }
          expect(coded.bytes).toBe(best);
          expect(coded.bytes).toBeLessThan(raw.length);
          const bytes = new Uint8Array(coded.bytes);
          coded.write(bytes);
          const a = new Float32Array(m);
          const z = new Float32Array(m);
          codec.decode(raw, m, p, new SetSink(a));
          decodeSymmetricCoded(bytes, m, p, new SetSink(z));
          expect(new Uint32Array(z.buffer)).toEqual(new Uint32Array(a.buffer));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('messages: sparse codes coded, dense raw, chunked or not, decode and accumulate like the raw codes', () => {
    const rng = createRng(5);
    for (const spec of [
      'q8',
      'sq4',
      'q8(chunk=1000)',
      'topk:0.01+q8',
      'topk:0.1+q3(chunk=77)',
      'randk:0.05+sq8',
    ]) {
      const x = Float32Array.from({ length: 6000 }, () => {
        const u = rng.nextFloat() - 0.5;
        return Math.sign(u) * Math.log(1 - 2 * Math.abs(u)) * 0.01;
      });
      const e = createCodec(spec).encode(x, 3);
      const t = parseEncoded(e);
      // Only sparse payloads are coded (encode.ts); dense ones keep the raw fast path.
      const sparse = spec.includes('+');
      expect([spec, t.coded, t.version]).toEqual([spec, sparse, 2]);
      if (sparse) expect(inspect(e).values.bytes).toBeLessThan(inspect(e).values.rawBytes);
      const y = decode(e);
      const sum = new Float64Array(6000).fill(1);
      accumulate(e, 0.5, sum);
      for (let i = 0; i < 6000; i++) expect(sum[i]).toBe(1 + 0.5 * y[i]!);
    }
  });

  it('keep the raw form when coding is not shorter (4 values; all codes far apart)', () => {
    const x = Float32Array.of(1, -2, 3, 0.5, 0, 0, 0, 0);
    expect(parseEncoded(createCodec('topk:0.5+q8').encode(x, 1)).coded).toBe(false);
    const y = Float32Array.of(1, -1, 1, -1, 1, -1, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(parseEncoded(createCodec('topk:0.5+q2').encode(y, 1)).coded).toBe(false);
  });

  it('code 255 (the raw all-ones code, (L + 1)Δ) has no coded form', () => {
    const raw = concat(f32Bytes([1]), new Uint8Array(100).fill(127));
    raw[4 + 99] = 255;
    expect(codeSymmetric(raw, 100, { param: 8, chunk: 0 })).toBeNull();
    raw[4 + 99] = 254;
    expect(codeSymmetric(raw, 100, { param: 8, chunk: 0 })).not.toBeNull();
  });

  describe('hostile coded payloads', () => {
    const zeros = (k: number) => '0'.repeat(k); // k codes of |q| = 0 with r = 0
    const cases: [string, Uint8Array, CodecErrorCode][] = [
      ['base above L', codedMessage(64, 8, 0, 128, zeros(64)), 'BAD_PARAM'],
      ['r above b − 1', codedMessage(64, 4, 4, 0, zeros(64)), 'BAD_PARAM'],
      ['a unary run past L', codedMessage(64, 8, 0, 0, zeros(63) + '1'.repeat(128) + '0'), 'BAD_VALUE'],
      // base 121, r = 3: 63 codes of u = 0 (then a sign), the last u = 7: |q| = 128
      ['base + u above L', codedMessage(64, 8, 3, 121, '00000'.repeat(63) + '0111'), 'BAD_VALUE'],
      ['a run that never ends', codedMessage(64, 8, 0, 0, zeros(63) + '1'.repeat(9)), 'TRUNCATED'],
      ['missing low bits', codedMessage(64, 8, 5, 0, '0' + '00000'.repeat(63) + '0'), 'TRUNCATED'],
      ['a missing sign bit', codedMessage(63, 4, 0, 0, zeros(62) + '10'), 'TRUNCATED'], // ends on a byte
      ['a byte left over', codedMessage(64, 8, 0, 0, zeros(64) + '0'.repeat(8)), 'BAD_LENGTH'],
      ['nonzero padding', codedMessage(64, 8, 0, 0, zeros(63) + '101' + '001'), 'BAD_VALUE'],
      ['not shorter than raw', codedMessage(8, 8, 0, 0, new Uint8Array(2)), 'BAD_LENGTH'],
      ['shorter than m bits', codedMessage(64, 8, 0, 0, new Uint8Array(7)), 'TRUNCATED'],
    ];

    it.each(cases)('rejects %s, leaving the sum untouched', (_what, msg, code) => {
      const n = new DataView(msg.buffer).getUint32(8, true);
      expectCodecError(() => decode(msg), code);
      const sum = new Float64Array(n).fill(2);
      expectCodecError(() => accumulate(msg, 1, sum), code);
      expect(Array.from(sum)).toEqual(new Array<number>(n).fill(2));
    });

    it('accepts a well-formed hand-built stream (r = 0, base 0: "0" for 0, "1 0 s" for ±1)', () => {
      const msg = codedMessage(64, 8, 0, 0, zeros(62) + '100' + '101', 0.5);
      const y = decode(msg);
      expect([y[62], y[63], y.slice(0, 62).every((v) => v === 0)]).toEqual([0.5, -0.5, true]);
    });

    it('minCodedBytes: one bit per value at least', () => {
      expect(minCodedBytes(64, { param: 8, chunk: 0 })).toBe(4 + 2 + 8);
      expect(minCodedBytes(65, { param: 8, chunk: 10 })).toBe(28 + 2 + 9);
    });

    it('flipped bits and cuts of a coded message raise CodecErrors and never half-land', () => {
      const rng = createRng(9);
      const x = Float32Array.from({ length: 5000 }, () => (rng.nextFloat() - 0.5) ** 3);
      const base = createCodec('topk:0.2+q6(chunk=300)').encode(x, 1);
      const t = parseEncoded(base);
      expect(t.coded).toBe(true);
      const start = base.length - 4 - t.payload.length;
      fc.assert(
        fc.property(
          fc.integer({ min: start, max: base.length - 5 }),
          fc.integer({ min: 0, max: 7 }),
          (at, bit) => {
            const msg = Uint8Array.from(base);
            msg[at]! ^= 1 << bit;
            const hostile = withCrc(msg);
            const sum = new Float32Array(5000).fill(3);
            try {
              accumulate(hostile, 1, sum);
            } catch (e) {
              expect(e).toBeInstanceOf(CodecError);
              expect(sum.every((v) => v === 3)).toBe(true);
            }
          },
        ),
        { numRuns: 300 },
      );
      for (let cut = start; cut < base.length - 4; cut += 37) {
        const msg = concat(base.subarray(0, cut), new Uint8Array(4));
        new DataView(msg.buffer).setUint32(4, msg.length, true);
        const sum = new Float32Array(5000);
        expect(() => accumulate(withCrc(msg), 1, sum)).toThrow(CodecError);
        expect(sum.every((v) => v === 0)).toBe(true);
      }
    });
  });
});
