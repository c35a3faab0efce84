/**
 * Field builders for the experiment schema. Each one attaches its own zod error map, so that every
 * message already reads `<what is wrong> (allowed: <what is allowed>)`; `formatIssues` only prefixes
 * the path. Zod's stock messages ("Invalid input: expected number, received string") never reach
 * the user for a field built here.
 */
import { CodecError, parseSpec } from '@fedzip/codec';
import * as z from 'zod';

/** The raw issue zod hands to an error map (before the path is attached). */
type RawIssue = z.core.$ZodRawIssue;

/** A short, quoted rendering of a config value for messages: `"rmsprop"`, `2.5`, `[1,2]`, `a mapping`. */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) {
    const text = safeJson(v);
    return text !== undefined && text.length <= 40 ? text : `a list of ${v.length}`;
  }
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function safeJson(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return undefined;
  }
}

/** Bounds of a numeric field; `min`/`max` are inclusive, `gt`/`lt` exclusive. */
export interface Range {
  readonly int?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly gt?: number;
  readonly lt?: number;
}

/** Renders a {@link Range} for "allowed" texts: `an integer ≥ 1`, `a number in [0, 1)`, `a number > 0`. */
export function describeRange(r: Range): string {
  const what = r.int ? 'an integer' : 'a number';
  const lo = r.gt ?? r.min;
  const hi = r.lt ?? r.max;
  if (lo !== undefined && hi !== undefined) {
    return `${what} in ${r.gt !== undefined ? '(' : '['}${lo}, ${hi}${r.lt !== undefined ? ')' : ']'}`;
  }
  if (lo !== undefined) return `${what} ${r.gt !== undefined ? '>' : '≥'} ${lo}`;
  if (hi !== undefined) return `${what} ${r.lt !== undefined ? '<' : '≤'} ${hi}`;
  return what;
}

/** `is required` for a missing value, else the shown value followed by `problem`. */
function wrong(input: unknown, problem: string, allowed: string): string {
  if (input === undefined) return `is required (allowed: ${allowed})`;
  return `${show(input)} ${problem} (allowed: ${allowed})`;
}

/** A number (or integer) within `r`, with messages such as `0 is out of range (allowed: an integer ≥ 1)`. */
export function num(r: Range = {}): z.ZodNumber {
  const allowed = describeRange(r);
  const error = (iss: RawIssue): string => {
    const v = iss.input;
    if (typeof v !== 'number') return wrong(v, r.int ? 'is not an integer' : 'is not a number', allowed);
    if (!Number.isFinite(v)) return wrong(v, 'is not a finite number', allowed);
    if (r.int && !Number.isInteger(v)) return wrong(v, 'is not an integer', allowed);
    return wrong(v, 'is out of range', allowed);
  };
  let s: z.ZodNumber = r.int ? z.int({ error }) : z.number({ error });
  if (r.min !== undefined) s = s.min(r.min, { error });
  if (r.gt !== undefined) s = s.gt(r.gt, { error });
  if (r.max !== undefined) s = s.max(r.max, { error });
  if (r.lt !== undefined) s = s.lt(r.lt, { error });
  return s;
}

/** A positive integer (≥ 1). */
export const positiveInt = (): z.ZodNumber => num({ int: true, min: 1 });

/** One of a fixed set of strings: `"rmsprop" is not allowed (allowed: sgd, momentum, adam)`. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
): z.ZodEnum<z.core.util.ToEnum<T[number]>> {
  const allowed = values.join(', ');
  return z.enum(values, { error: (iss) => wrong(iss.input, 'is not allowed', allowed) });
}

/** A list of `item`s with `min`..`max` entries, described by `allowed` (e.g. `layer widths, e.g. [128]`). */
export function list<T extends z.ZodType>(
  item: T,
  allowed: string,
  bounds: { min?: number; max?: number } = {},
): z.ZodArray<T> {
  const error = (iss: RawIssue): string =>
    wrong(iss.input, Array.isArray(iss.input) ? 'has the wrong length' : 'is not a list', allowed);
  let s = z.array(item, { error });
  if (bounds.min !== undefined) s = s.min(bounds.min, { error });
  if (bounds.max !== undefined) s = s.max(bounds.max, { error });
  return s;
}

/** Exactly two `item`s, e.g. the two conv widths of a CNN. */
export function pair<T extends z.ZodType>(item: T, allowed: string): z.ZodTuple<[T, T], null> {
  return z.tuple([item, item], {
    error: (iss) =>
      wrong(iss.input, Array.isArray(iss.input) ? 'does not have two entries' : 'is not a list', allowed),
  });
}

/** `true` or `false` (YAML's `yes`/`on` are strings in YAML 1.2 and are rejected with this message). */
export function bool(): z.ZodBoolean {
  return z.boolean({ error: (iss) => wrong(iss.input, 'is not a boolean', 'true or false') });
}

/** A string matching `pattern` (when given), described by `allowed`. */
export function str(allowed: string, pattern?: RegExp, maxLength?: number): z.ZodString {
  const error = (iss: RawIssue): string =>
    wrong(iss.input, typeof iss.input === 'string' ? 'is not allowed' : 'is not a string', allowed);
  let s = z.string({ error }).min(1, { error });
  if (maxLength !== undefined) s = s.max(maxLength, { error });
  if (pattern) s = s.regex(pattern, { error });
  return s;
}

/**
 * A codec pipeline spec string (`none`, `q8`, `topk:0.01+q8`, …), checked with `@fedzip/codec`'s
 * `parseSpec`: a bad spec fails with the codec's own message, e.g.
 * `bad codec spec "topk:2": topk needs a fraction in (0, 1], e.g. topk:0.01`.
 */
export function codecSpec(): z.ZodString {
  return z
    .string({
      error: (iss) => wrong(iss.input, 'is not a string', 'a codec spec such as "topk:0.01+q8" or "none"'),
    })
    .superRefine((spec, ctx) => {
      try {
        parseSpec(spec);
      } catch (e) {
        if (!(e instanceof CodecError)) throw e;
        ctx.addIssue({ code: 'custom', message: e.message, input: spec });
      }
    });
}

/**
 * A strict object: an unknown key fails with `unknown key (allowed: a, b, c)`, which
 * `formatIssues` splits into one line per key and extends with a "did you mean" hint.
 */
export function obj<T extends z.core.$ZodLooseShape>(
  shape: T,
): z.ZodObject<z.core.util.Writeable<T>, z.core.$strict> {
  const keys = Object.keys(shape);
  const allowed = keys.join(', ');
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return `${UNKNOWN_KEY} (allowed: ${allowed})`;
      if (iss.code === 'invalid_type')
        return wrong(iss.input, 'is not a mapping', `a mapping with keys ${allowed}`);
      return undefined;
    },
  });
}

/** The text of an unknown-key message, before its allowed list. */
export const UNKNOWN_KEY = 'unknown key';

/**
 * A discriminated union whose discriminator may also be written alone: `partition: iid` means
 * `partition: { kind: iid }`, `strategy: fedadam` means `strategy: { name: fedadam }`.
 * A bad discriminator fails with `"foo" is not allowed (allowed: iid, dirichlet, …)` at
 * `<path>.<discriminator>`.
 */
export function variants<
  const D extends string,
  const O extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
>(discriminator: D, options: O) {
  const names = options.map((o) => {
    const values = o._zod.propValues?.[discriminator];
    return values ? [...values].map(String).join(', ') : '?';
  });
  const allowed = names.join(', ');
  const union = z.discriminatedUnion(discriminator, options, {
    error: (iss) => {
      if (iss.code === 'invalid_union') {
        const input = iss.input as Record<string, unknown> | undefined;
        return wrong(input?.[discriminator], 'is not allowed', allowed);
      }
      if (iss.code === 'invalid_type') {
        return wrong(
          iss.input,
          'is not a mapping or a name',
          `one of ${allowed}, or a mapping with ${discriminator}: …`,
        );
      }
      return undefined;
    },
  });
  type In = z.input<typeof union>;
  return z.preprocess(
    (v: In | In[D & keyof In]): unknown => (typeof v === 'string' ? { [discriminator]: v } : v),
    union,
  );
}
