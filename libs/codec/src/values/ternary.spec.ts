import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { parseEncoded } from '../format/parse.js';
import {
  buildMessage,
  concat,
  expectCodecError,
  f32Bytes,
  meanOverSeeds,
  scaleAt,
} from '../__tests__/helpers.js';

describe('ternary: TernGrad', () => {
  it('decodes to {−s, 0, +s} with s = max|x| per chunk and the sign of x', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 48 }),
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
        fc.nat(),
        (x, chunk, seed) => {
          const t = parseEncoded(createCodec(`ternary(chunk=${chunk})`).encode(x, seed));
          expect(t.payload.length).toBe(
            4 * (x.length === 0 ? 0 : chunk ? Math.ceil(x.length / chunk) : 1) + Math.ceil(x.length / 5),
          );
          const y = decode(t);
          const c = chunk || x.length;
          for (let i = 0; i < x.length; i++) {
            const s = scaleAt(t.payload, Math.floor(i / c));
            expect([0, s, -s]).toContain(y[i]);
            if (y[i] !== 0) expect(Math.sign(y[i]!)).toBe(Math.sign(x[i]!));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is unbiased: the mean over seeds converges to x within 6σ (σ² = s|x| − x² ≤ s²/4)', () => {
    const x = Float32Array.from({ length: 25 }, (_, i) => (i === 0 ? 1.5 : 1.5 * Math.sin(i * 0.9)));
    const runs = 3000;
    const codec = createCodec('ternary');
    const mean = meanOverSeeds(codec.encode, (e) => decode(e), x, runs);
    for (let i = 0; i < x.length; i++) {
      const sigma = Math.sqrt(1.5 * Math.abs(x[i]!) - x[i]! ** 2) / Math.sqrt(runs);
      expect(Math.abs(mean[i]! - x[i]!)).toBeLessThanOrEqual(6 * sigma + 1e-6);
    }
  });

  it('packs five trits per byte, least significant first (0 → 0, 1 → +, 2 → −)', () => {
    // 1 + 2·3 + 0·9 + 1·27 + 2·81 = 196, then one trit (2 → −) in a second byte.
    const msg = buildMessage({ n: 6, valueId: 10, payload: concat(f32Bytes([0.5]), Uint8Array.of(196, 2)) });
    expect(Array.from(decode(msg))).toEqual([0.5, -0.5, 0, 0.5, -0.5, -0.5]);
  });

  it('rejects bytes ≥ 243 (BAD_VALUE)', () => {
    for (const b of [243, 255]) {
      const msg = buildMessage({ n: 5, valueId: 10, payload: concat(f32Bytes([1]), Uint8Array.of(b)) });
      expectCodecError(() => decode(msg), 'BAD_VALUE', /trits/);
    }
  });
});
