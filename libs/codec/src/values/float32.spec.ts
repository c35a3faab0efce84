import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { decode } from '../format/decode.js';
import { buildMessage, expectCodecError, expectSameBits, f32Bytes, viewAt } from '../__tests__/helpers.js';

const none = createCodec('none');

describe('f32 ("none"): dense float32', () => {
  it('round-trips bit-exactly (−0, subnormals and ±FLT_MAX included)', () => {
    fc.assert(
      fc.property(fc.float32Array({ noNaN: true, noDefaultInfinity: true, maxLength: 200 }), (x) => {
        expectSameBits(none.decode(none.encode(x, 0)), x);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips across several decode blocks and from an unaligned view', () => {
    const x = Float32Array.from({ length: 9000 }, (_, i) => Math.sin(i) * 1e-3 * i);
    const e = none.encode(x, 0);
    expect(e.length).toBe(16 + 8 + 4 * x.length + 4);
    expectSameBits(decode(viewAt(e, 3)), x);
  });

  it('rejects NaN/Inf input (NON_FINITE) and NaN/Inf in a payload with a valid checksum', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      expectCodecError(() => none.encode(Float32Array.of(0, bad, 1), 0), 'NON_FINITE');
      const payload = f32Bytes([1, 2, bad]);
      expectCodecError(() => decode(buildMessage({ n: 3, valueId: 1, payload })), 'NON_FINITE');
    }
  });
});
