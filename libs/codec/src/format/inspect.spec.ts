import { describe, expect, it } from '@jest/globals';
import { createCodec } from '../codec.js';
import { ALL_SPECS, gaussian } from '../__tests__/helpers.js';
import { inspect, specOf } from './inspect.js';
import { parseEncoded } from './parse.js';

const X16 = Float32Array.of(
  0.5,
  -1.25,
  0,
  2,
  -0.75,
  0.125,
  -3,
  1,
  0.25,
  -0.0625,
  1.5,
  -2.5,
  0.375,
  0,
  -0.5,
  2.75,
);

describe('inspect', () => {
  it('summarises a sparse message from its header alone', () => {
    const e = createCodec('topk:0.25+q8').encode(X16, 7);
    expect(inspect(e)).toEqual({
      version: 2,
      spec: 'topk:0.25+q8',
      stages: [
        { kind: 'topk', fraction: 0.25 },
        { kind: 'q', bits: 8 },
      ],
      n: 16,
      kept: 4,
      bytes: 58,
      bitsPerValue: (58 * 8) / 16,
      ratio: 64 / 58,
      positions: {
        coding: 'rice',
        riceBits: 1,
        bytes: 2,
        bitsPerKept: 4,
        boundBitsPerKept: expect.closeTo(Math.log2(1820) / 4, 12),
      },
      values: { coded: false, bytes: 8, rawBytes: 8, bitsPerValue: 16 },
    });
  });

  it('says whether the codes are entropy-coded, and their bytes against the raw ones', () => {
    const x = Float32Array.from({ length: 4000 }, (_, i) => Math.sin(i) ** 5);
    const v = inspect(createCodec('topk:0.1+q8').encode(x, 1)).values;
    expect(v.coded).toBe(true);
    expect(v.rawBytes).toBe(4 + 400);
    expect(v.bytes).toBeLessThan(v.rawBytes);
    expect(v.bitsPerValue).toBe((v.bytes * 8) / 400);
  });

  it('summarises dense and seeded messages', () => {
    const d = inspect(createCodec('qsgd:4').encode(X16, 1));
    expect([d.spec, d.kept, d.positions, d.stages]).toEqual([
      'qsgd:4',
      16,
      null,
      [{ kind: 'qsgd', levels: 4, chunk: 512 }],
    ]);
    const r = inspect(createCodec('randk:0.5+sign').encode(X16, 1));
    expect(r.positions).toMatchObject({ coding: 'seeded', bytes: 0, bitsPerKept: 0 });
    expect(r.kept).toBe(8);
  });

  it.each(ALL_SPECS)('recovers the canonical spec from the message (%s)', (spec) => {
    const codec = createCodec(spec);
    const e = codec.encode(gaussian(64, 1), 1);
    expect(inspect(e).spec).toBe(codec.id);
    expect(specOf(parseEncoded(e))).toEqual(codec.spec);
  });

  it('does not carry encoder-only options (approx-topk sample, kmeans iters)', () => {
    expect(inspect(createCodec('approx-topk:0.01(sample=0.05)+q8').encode(gaussian(5000, 2), 1)).spec).toBe(
      'approx-topk:0.01+q8',
    );
    expect(inspect(createCodec('kmeans:8(iters=3)').encode(gaussian(100, 2), 1)).spec).toBe('kmeans:8');
  });
});
