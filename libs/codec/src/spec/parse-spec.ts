import { CodecError } from '../errors.js';
import {
  APPROX_DEFAULT_SAMPLE,
  type PipelineSpec,
  type SparsifierSpec,
  type ValueSpec,
  valueChunk,
} from './pipeline-spec.js';

/**
 * Parses a pipeline spec string. Grammar (docs/wire-format.md, "Spec strings"):
 *
 *     spec    := "none" | stage | sparsifier "+" value
 *     stage   := name [":" number] ["(" key "=" number {"," key "=" number} ")"]
 *
 * Sparsifiers: `topk:<fraction>`, `approx-topk:<fraction>(sample=…)`, `randk:<fraction>`,
 * `thresh:<value>`. Values: `f32`, `f16`, `bf16`, `q<bits>`, `sq<bits>`, `aq<bits>`,
 * `qsgd:<levels>`, `kmeans:<k>(iters=…)`, `sign`, `ternary`; every quantizer takes `(chunk=N)`.
 * Errors are `BAD_SPEC` and name what is allowed.
 */
export function parseSpec(spec: string): PipelineSpec {
  const text = spec.trim();
  if (text === 'none' || text === '') {
    if (text === '') bad(spec, 'the spec is empty; use "none" for dense float32');
    return { value: { kind: 'f32' } };
  }
  const parts = text.split('+');
  if (parts.length > 2) bad(spec, 'at most two stages: a sparsifier, then a value codec');
  const stages = parts.map((p) => parseStage(spec, p));
  const [first, second] = stages as [Stage, Stage | undefined];
  if (second) {
    if (!isSparsifier(first.name))
      bad(spec, `"${first.name}" is not a sparsifier; the first of two stages must be one`);
    if (isSparsifier(second.name))
      bad(spec, `"${second.name}" is a sparsifier; the second stage must be a value codec`);
    return { sparsifier: toSparsifier(spec, first), value: toValue(spec, second) };
  }
  if (isSparsifier(first.name)) return { sparsifier: toSparsifier(spec, first), value: { kind: 'f32' } };
  return { value: toValue(spec, first) };
}

interface Stage {
  readonly name: string;
  readonly arg?: number;
  readonly opts: ReadonlyMap<string, number>;
}

const SPARSIFIERS = ['topk', 'approx-topk', 'randk', 'thresh'];
const VALUE_NAMES = 'f32, f16, bf16, q<bits>, sq<bits>, aq<bits>, qsgd:<levels>, kmeans:<k>, sign, ternary';
const STAGE_RE = /^([a-z][a-z0-9-]*?)(\d*)(?::([^()]+))?(?:\(([^()]*)\))?$/;

function isSparsifier(name: string): boolean {
  return SPARSIFIERS.includes(name);
}

function bad(spec: string, why: string): never {
  throw new CodecError('BAD_SPEC', `bad codec spec "${spec}": ${why}`);
}

function num(spec: string, text: string, what: string): number {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) bad(spec, `${what} must be a number, got "${text}"`);
  return v;
}

function parseStage(spec: string, raw: string): Stage {
  const m = STAGE_RE.exec(raw.trim());
  if (!m) bad(spec, `cannot read stage "${raw}"`);
  const [, word, digits, arg, optText] = m;
  const opts = new Map<string, number>();
  if (optText !== undefined) {
    for (const kv of optText.split(',')) {
      const [k, v, extra] = kv.split('=');
      if (!k || v === undefined || extra !== undefined) bad(spec, `options are key=value pairs, got "${kv}"`);
      opts.set(k.trim(), num(spec, v, `option ${k.trim()}`));
    }
  }
  // `q8` is the name `q` with 8 bits; the digits after a name are its argument.
  const name = word! + (digits && !['q', 'sq', 'aq'].includes(word!) ? digits : '');
  const inlineBits = ['q', 'sq', 'aq'].includes(word!) && digits ? Number(digits) : undefined;
  if (inlineBits !== undefined && arg !== undefined) bad(spec, `"${raw}" gives bits twice`);
  const value = inlineBits ?? (arg !== undefined ? num(spec, arg, `the argument of ${name}`) : undefined);
  return value === undefined ? { name, opts } : { name, arg: value, opts };
}

function allowOnly(spec: string, s: Stage, keys: readonly string[]): void {
  for (const k of s.opts.keys()) {
    if (!keys.includes(k)) {
      bad(spec, `${s.name} has no option "${k}"${keys.length ? ` (allowed: ${keys.join(', ')})` : ''}`);
    }
  }
}

function fraction(spec: string, s: Stage): number {
  if (s.arg === undefined || !(s.arg > 0 && s.arg <= 1))
    bad(spec, `${s.name} needs a fraction in (0, 1], e.g. ${s.name}:0.01`);
  return s.arg;
}

function toSparsifier(spec: string, s: Stage): SparsifierSpec {
  switch (s.name) {
    case 'topk':
    case 'randk':
      allowOnly(spec, s, []);
      return { kind: s.name, fraction: fraction(spec, s) };
    case 'approx-topk': {
      allowOnly(spec, s, ['sample']);
      const sample = s.opts.get('sample');
      if (sample !== undefined && !(sample > 0 && sample <= 1))
        bad(spec, 'sample must be a fraction in (0, 1]');
      const f = fraction(spec, s);
      return sample === undefined || sample === APPROX_DEFAULT_SAMPLE
        ? { kind: 'approx-topk', fraction: f }
        : { kind: 'approx-topk', fraction: f, sample };
    }
    default: {
      allowOnly(spec, s, []);
      if (s.arg === undefined || !(s.arg >= 0))
        bad(spec, 'thresh needs a non-negative threshold, e.g. thresh:0.001');
      return { kind: 'thresh', threshold: s.arg };
    }
  }
}

function intIn(spec: string, v: number | undefined, lo: number, hi: number, what: string): number {
  if (v === undefined || !Number.isInteger(v) || v < lo || v > hi)
    bad(spec, `${what} must be an integer in [${lo}, ${hi}]`);
  return v;
}

function chunkOpt(spec: string, s: Stage): { chunk?: number } {
  const c = s.opts.get('chunk');
  if (c === undefined) return {};
  return { chunk: intIn(spec, c, 0, 2 ** 32 - 1, 'chunk') };
}

function toValue(spec: string, s: Stage): ValueSpec {
  switch (s.name) {
    case 'f32':
    case 'f16':
    case 'bf16':
      allowOnly(spec, s, []);
      if (s.arg !== undefined) bad(spec, `${s.name} takes no argument`);
      return { kind: s.name };
    case 'q':
    case 'sq':
    case 'aq':
      allowOnly(spec, s, ['chunk']);
      return {
        kind: s.name,
        bits: intIn(spec, s.arg, 2, 8, `${s.name} bits (write ${s.name}8)`),
        ...chunkOpt(spec, s),
      };
    case 'qsgd': {
      allowOnly(spec, s, ['chunk']);
      const v: ValueSpec = {
        kind: 'qsgd',
        levels: intIn(spec, s.arg, 1, 32767, 'qsgd levels'),
        ...chunkOpt(spec, s),
      };
      return { kind: 'qsgd', levels: v.levels, chunk: valueChunk(v) };
    }
    case 'kmeans': {
      allowOnly(spec, s, ['chunk', 'iters']);
      const iters = s.opts.get('iters');
      return {
        kind: 'kmeans',
        centroids: intIn(spec, s.arg, 2, 256, 'kmeans centroids'),
        ...chunkOpt(spec, s),
        ...(iters === undefined ? {} : { iters: intIn(spec, iters, 1, 1000, 'iters') }),
      };
    }
    case 'sign':
    case 'ternary':
      allowOnly(spec, s, ['chunk']);
      if (s.arg !== undefined) bad(spec, `${s.name} takes no argument`);
      return { kind: s.name, ...chunkOpt(spec, s) };
    default:
      return bad(
        spec,
        `unknown stage "${s.name}" (sparsifiers: ${SPARSIFIERS.join(', ')}; values: ${VALUE_NAMES})`,
      );
  }
}
