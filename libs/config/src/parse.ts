import type * as z from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';
import { ExperimentSchema, NAME_PATTERN } from './schema/experiment.js';
import { UNKNOWN_KEY } from './schema/primitives.js';
import type { ExperimentConfig } from './types.js';

/** Where a path sits in the source text, for messages. */
export type LineOf = (path: readonly (string | number)[]) => { line: number; column?: number } | undefined;

/** Options of {@link parseExperiment}. */
export interface ParseOptions {
  /**
   * Where the config came from (a file name): prefixed to every message, and the default `name`
   * (the file's base name without extension) when the config has none.
   */
  readonly source?: string;
  /** Maps a path to its line in the source, so that messages can name it (see `loadExperiment`). */
  readonly lineOf?: LineOf;
}

/** The result of {@link safeParseExperiment}. */
export type ParseResult = { success: true; data: ExperimentConfig } | { success: false; error: ConfigError };

/**
 * Validates an experiment config and fills its defaults. `undefined` or `null` (an empty file) is
 * the default experiment.
 *
 * @throws {@link ConfigError} listing every problem, one per line.
 */
export function parseExperiment(input: unknown, options: ParseOptions = {}): ExperimentConfig {
  const r = safeParseExperiment(input, options);
  if (!r.success) throw r.error;
  return r.data;
}

/** {@link parseExperiment} without the throw. */
export function safeParseExperiment(input: unknown, options: ParseOptions = {}): ParseResult {
  const value = withDefaultName(input ?? {}, options.source);
  const r = ExperimentSchema.safeParse(value, { reportInput: true });
  if (r.success) return { success: true, data: r.data };
  const issues = toConfigIssues(r.error.issues).map((issue) => {
    const pos = issue.path && options.lineOf?.(issue.path);
    return pos
      ? { ...issue, line: pos.line, ...(pos.column !== undefined && { column: pos.column }) }
      : issue;
  });
  return { success: false, error: new ConfigError(issues, options.source) };
}

/** A fresh copy of the default experiment (what an empty file gives). */
export function defaultExperiment(): ExperimentConfig {
  return parseExperiment({});
}

/** Names a nameless config after its file: `experiments/mnist-iid.yaml` → `mnist-iid`. */
function withDefaultName(input: unknown, source: string | undefined): unknown {
  if (source === undefined || typeof input !== 'object' || Array.isArray(input) || input === null)
    return input;
  if ('name' in input) return input;
  const base = /([^/\\]+?)(\.[^./\\]*)?$/.exec(source)?.[1] ?? '';
  return NAME_PATTERN.test(base) && base.length <= 64 ? { ...input, name: base } : input;
}

/**
 * Turns zod issues into one {@link ConfigIssue} per problem: an unrecognized-keys issue becomes one
 * issue per key, with a "did you mean" hint when a key is a near miss.
 */
export function toConfigIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: ConfigIssue): void => {
    const key = JSON.stringify([issue.path, issue.message]);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(issue);
    }
  };
  for (const iss of issues) {
    const path = iss.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (iss.code === 'unrecognized_keys') {
      const allowed = /\(allowed: ([^)]*)\)$/.exec(iss.message)?.[1]?.split(', ') ?? [];
      for (const key of iss.keys) {
        const guess = closest(key, allowed);
        const message = guess
          ? iss.message.replace(UNKNOWN_KEY, `${UNKNOWN_KEY}, did you mean "${guess}"?`)
          : iss.message;
        push({ path: [...path, key], message });
      }
    } else {
      push({ path, message: iss.message });
    }
  }
  return out;
}

/** The allowed key closest to a misspelt one, if it is close enough to be a typo. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = a.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, a);
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return bestD <= Math.min(2, Math.floor(key.length / 3)) || bestD === 0 ? best : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
