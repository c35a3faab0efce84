import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createCodec } from '../codec.js';
import { expectCodecError } from '../__tests__/helpers.js';
import { formatSpec } from './format-spec.js';
import { parseSpec } from './parse-spec.js';
import {
  type PipelineSpec,
  type ValueSpec,
  QSGD_DEFAULT_BUCKET,
  APPROX_DEFAULT_SAMPLE,
} from './pipeline-spec.js';

describe('parseSpec / formatSpec', () => {
  it.each<[string, PipelineSpec]>([
    ['topk:0.01+q8', { sparsifier: { kind: 'topk', fraction: 0.01 }, value: { kind: 'q', bits: 8 } }],
    [
      'approx-topk:0.001+sign',
      { sparsifier: { kind: 'approx-topk', fraction: 0.001 }, value: { kind: 'sign' } },
    ],
    ['randk:0.05+sq4', { sparsifier: { kind: 'randk', fraction: 0.05 }, value: { kind: 'sq', bits: 4 } }],
    ['kmeans:16', { value: { kind: 'kmeans', centroids: 16 } }],
    ['none', { value: { kind: 'f32' } }],
    ['q8(chunk=1024)', { value: { kind: 'q', bits: 8, chunk: 1024 } }],
    ['f16', { value: { kind: 'f16' } }],
    ['bf16', { value: { kind: 'bf16' } }],
    ['aq4(chunk=256)', { value: { kind: 'aq', bits: 4, chunk: 256 } }],
    ['qsgd:4', { value: { kind: 'qsgd', levels: 4, chunk: QSGD_DEFAULT_BUCKET } }],
    ['qsgd:127(chunk=64)', { value: { kind: 'qsgd', levels: 127, chunk: 64 } }],
    ['kmeans:4(chunk=100,iters=30)', { value: { kind: 'kmeans', centroids: 4, chunk: 100, iters: 30 } }],
    ['ternary(chunk=4096)', { value: { kind: 'ternary', chunk: 4096 } }],
    ['topk:0.01', { sparsifier: { kind: 'topk', fraction: 0.01 }, value: { kind: 'f32' } }],
    ['thresh:0.001+f16', { sparsifier: { kind: 'thresh', threshold: 0.001 }, value: { kind: 'f16' } }],
    [
      'approx-topk:0.01(sample=0.002)+q4',
      { sparsifier: { kind: 'approx-topk', fraction: 0.01, sample: 0.002 }, value: { kind: 'q', bits: 4 } },
    ],
  ])('"%s" parses, and formats back to itself', (text, spec) => {
    expect(parseSpec(text)).toEqual(spec);
    expect(formatSpec(parseSpec(text))).toBe(text);
    expect(createCodec(text).id).toBe(text);
    expect(createCodec(spec).id).toBe(text);
  });

  it.each([
    ['f32', 'none'],
    ['  topk:0.01 + q8 ', 'topk:0.01+q8'],
    ['q8(chunk=0)', 'q8'],
    ['qsgd:4(chunk=512)', 'qsgd:4'],
    ['approx-topk:0.001(sample=0.01)+sign', 'approx-topk:0.001+sign'],
    ['topk:1e-3+q8', 'topk:0.001+q8'],
    ['q8(chunk = 64)', 'q8(chunk=64)'],
  ])('"%s" canonicalises to "%s" (defaults dropped)', (text, canonical) => {
    expect(formatSpec(parseSpec(text))).toBe(canonical);
  });

  it('documents the defaults: QSGD buckets of 512 values, approx-topk samples 1%', () => {
    expect(QSGD_DEFAULT_BUCKET).toBe(512);
    expect(APPROX_DEFAULT_SAMPLE).toBe(0.01);
  });

  it('round-trips every config object through its canonical string', () => {
    const chunk = fc.option(fc.integer({ min: 0, max: 1 << 20 }), { nil: undefined });
    const withChunk = <T extends object>(v: T, c: number | undefined) =>
      c === undefined ? v : { ...v, chunk: c };
    const value: fc.Arbitrary<ValueSpec> = fc.oneof(
      fc.constantFrom<ValueSpec>({ kind: 'f32' }, { kind: 'f16' }, { kind: 'bf16' }),
      fc
        .tuple(fc.constantFrom('q', 'sq', 'aq' as const), fc.integer({ min: 2, max: 8 }), chunk)
        .map(([kind, bits, c]) => withChunk({ kind, bits }, c) as ValueSpec),
      fc
        .tuple(fc.integer({ min: 1, max: 32767 }), chunk)
        .map(([levels, c]) => ({ kind: 'qsgd', levels, chunk: c ?? QSGD_DEFAULT_BUCKET }) as ValueSpec),
      fc
        .tuple(fc.integer({ min: 2, max: 256 }), chunk)
        .map(([centroids, c]) => withChunk({ kind: 'kmeans', centroids }, c) as ValueSpec),
      fc
        .tuple(fc.constantFrom('sign', 'ternary' as const), chunk)
        .map(([kind, c]) => withChunk({ kind }, c) as ValueSpec),
    );
    const fraction = fc.double({ min: 1e-9, max: 1, noNaN: true });
    const sparsifier = fc.option(
      fc.oneof(
        fc
          .tuple(fc.constantFrom('topk', 'randk', 'approx-topk' as const), fraction)
          .map(([kind, f]) => ({ kind, fraction: f })),
        fc.double({ min: 0, max: 1e6, noNaN: true }).map((t) => ({ kind: 'thresh' as const, threshold: t })),
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(sparsifier, value, (s, v) => {
        const p: PipelineSpec = s ? { sparsifier: s, value: v } : { value: v };
        const text = formatSpec(p);
        const back = parseSpec(text);
        expect(formatSpec(back)).toBe(text);
        // Equal up to defaults: a chunk of 0 is the default for every stage but qsgd.
        const strip = (x: PipelineSpec) =>
          JSON.parse(
            JSON.stringify(x, (k, val) =>
              k === 'chunk' && val === 0 && x.value.kind !== 'qsgd' ? undefined : val,
            ),
          );
        expect(strip(back)).toEqual(strip(p));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['q9', /q bits/],
    ['q1', /q bits/],
    ['q', /q bits/],
    ['sq4.5', /cannot read stage|sq bits/],
    ['aq8:8', /gives bits twice/],
    ['topk', /topk needs a fraction/],
    ['topk:0', /topk needs a fraction/],
    ['topk:1.5+q8', /topk needs a fraction/],
    ['randk:-0.1', /randk needs a fraction/],
    ['approx-topk:0.01(sample=2)', /sample/],
    ['approx-topk:0.01(foo=1)', /approx-topk has no option "foo"/],
    ['topk:0.01(chunk=4)', /topk has no option "chunk"/],
    ['thresh:-1', /thresh needs a non-negative threshold/],
    ['thresh:abc', /thresh must be a number/],
    ['qsgd:0', /qsgd levels/],
    ['qsgd:40000', /qsgd levels/],
    ['qsgd', /qsgd levels/],
    ['kmeans:1', /kmeans centroids/],
    ['kmeans:300', /kmeans centroids/],
    ['kmeans:16(iters=0)', /iters/],
    ['q8(chunk=-1)', /chunk/],
    ['q8(chunk=1.5)', /chunk/],
    ['q8(chunk=x)', /option chunk must be a number/],
    ['q8(chunk)', /key=value/],
    ['f16(chunk=4)', /f16 has no option "chunk"/],
    ['f16:3', /f16 takes no argument/],
    ['sign:2', /sign takes no argument/],
    ['ternary(levels=3)', /ternary has no option "levels"/],
    ['zstd', /unknown stage "zstd"/],
    ['topk:0.01+randk:0.1', /"randk" is a sparsifier/],
    ['q8+topk:0.01', /"q" is not a sparsifier/],
    ['topk:0.01+q8+f16', /at most two stages/],
    ['topk:0.01+', /cannot read stage/],
    ['Q8', /cannot read stage/],
  ])('rejects "%s" with BAD_SPEC naming the problem', (text, msg) => {
    const e = expectCodecError(() => parseSpec(text), 'BAD_SPEC', msg);
    expect(e.message).toContain(`"${text}"`);
    expectCodecError(() => createCodec(text), 'BAD_SPEC');
  });
});
