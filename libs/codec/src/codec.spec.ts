import { describe, expect, it } from '@jest/globals';
import { createCodec } from './codec.js';
import { createRng } from './rng.js';
import { ALL_SPECS, SPARSE_SPECS, expectCodecError, gaussian } from './__tests__/helpers.js';
import * as api from './index.js';

describe('createCodec', () => {
  it.each(ALL_SPECS)('round-trips to a tensor of the same length (%s)', (spec) => {
    const codec = createCodec(spec);
    for (const n of [0, 1, 2, 33, 1000]) {
      const x = gaussian(n, n);
      const e = codec.encode(x, 3);
      const y = codec.decode(e);
      expect(y.length).toBe(n);
      expect(y.every(Number.isFinite)).toBe(true);
      expect(codec.decode(e, { out: new Float32Array(n) })).toEqual(y);
    }
  });

  it.each(ALL_SPECS)('is reproducible from a seed or an Rng (%s)', (spec) => {
    const codec = createCodec(spec);
    const x = gaussian(200, 4);
    expect(codec.encode(x, 11)).toEqual(codec.encode(x, 11));
    expect(codec.encode(x, createRng(11))).toEqual(codec.encode(x, 11));
  });

  it.each(ALL_SPECS)('rejects NaN and ±Inf anywhere in the input (NON_FINITE) (%s)', (spec) => {
    const codec = createCodec(spec);
    for (const n of [1, 7, 1500]) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (const at of [0, n >> 1, n - 1]) {
          const x = gaussian(n, at);
          x[at] = bad;
          expectCodecError(() => codec.encode(x, 1), 'NON_FINITE');
        }
      }
    }
  });

  it('keeps the right number of values per sparsifier', () => {
    const x = gaussian(1000, 5);
    for (const spec of SPARSE_SPECS) {
      const kept = api.inspect(createCodec(spec).encode(x, 1)).kept;
      const s = createCodec(spec).spec.sparsifier!;
      if (s.kind === 'topk' || s.kind === 'randk') expect(kept).toBe(Math.round(1000 * s.fraction));
      if (s.kind === 'thresh') expect(kept).toBe(x.filter((v) => Math.abs(v) >= s.threshold).length);
    }
  });

  it('rejects a bad spec (BAD_SPEC) and input that is not a Float32Array (BAD_PARAM)', () => {
    expectCodecError(() => createCodec('q9'), 'BAD_SPEC', /q bits/);
    expectCodecError(() => createCodec({ value: { kind: 'q', bits: 1 } }), 'BAD_SPEC');
    const codec = createCodec('q8');
    expectCodecError(() => codec.encode(new Float64Array(4) as unknown as Float32Array, 1), 'BAD_PARAM');
  });

  it('exports the public API from the package entry', () => {
    for (const name of [
      'createCodec',
      'CodecError',
      'encodeTensor',
      'decode',
      'accumulate',
      'decodePositions',
      'parseEncoded',
      'asEncoded',
      'inspect',
      'parseSpec',
      'formatSpec',
      'ResidualMemory',
      'encodeWithFeedback',
      'indexBoundBitsPerKept',
      'topkSelect',
      'approxTopkSelect',
      'randomPositions',
      'toHalfBits',
    ])
      expect(api).toHaveProperty(name);
    expect(api.FORMAT_VERSION).toBe(2);
    expect(api.DEFAULT_MAX_ELEMENTS).toBe(2 ** 27);
  });
});
