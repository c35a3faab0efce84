import { createHash } from 'node:crypto';
import type { ExperimentConfig } from './types.js';

/**
 * Canonical JSON: object keys sorted (by UTF-16 code unit), no whitespace, `undefined` members
 * dropped as `JSON.stringify` drops them, arrays in order. Two configs that differ only in key
 * order give the same text.
 *
 * @throws TypeError for values JSON cannot hold exactly: non-finite numbers, bigints, functions,
 *   symbols, and objects other than plain objects and arrays.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '');
}

function write(v: unknown, at: string): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new TypeError(`canonicalJson: ${v} at ${at || '(top level)'} is not finite`);
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) {
    return `[${v.map((x, i) => (x === undefined ? 'null' : write(x, `${at}[${i}]`))).join(',')}]`;
  }
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`canonicalJson: ${at || '(top level)'} is not a plain object`);
    }
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${write(x, at ? `${at}.${k}` : k)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: ${at || '(top level)'} is a ${typeof v}, which JSON cannot hold`);
}

/**
 * A stable SHA-256 (64 hex digits) of a (sub-)config: the hash of its {@link canonicalJson}. Key
 * order does not matter; any changed value changes it. Hash parsed configs, whose defaults are
 * filled, so that a default spelled out and a default left out hash alike.
 */
export function configHash(part: unknown): string {
  return createHash('sha256').update(canonicalJson(part), 'utf8').digest('hex');
}

/** Bump when the way artifacts are built changes, so that old caches stop matching. */
export const ARTIFACT_KEY_VERSION = 1;

/** Cache keys of the server-side artifacts an experiment builds before its first round. */
export interface ArtifactKeys {
  /**
   * The teacher: the seed, the dataset and its split, and `model.teacher`. A teacher loaded from
   * `model.teacher.path` is keyed by its path, not by the file's contents.
   */
  readonly teacher: string;
  /**
   * The distributed student: the teacher key (when distillation is on), `model.student`,
   * `model.distill` and `model.compress`.
   */
  readonly student: string;
}

/**
 * The {@link configHash}es that key the cached teacher and student of `fedzip run`/`fedzip distill`:
 * everything that changes them, nothing that does not (rounds, clients, partition, codecs…).
 */
export function artifactKeys(config: ExperimentConfig): ArtifactKeys {
  const { seed, data, model } = config;
  const teacher = configHash({
    v: ARTIFACT_KEY_VERSION,
    seed,
    data: { dataset: data.dataset, split: data.split, synthetic: data.synthetic },
    teacher: model.teacher,
  });
  const student = configHash({
    v: ARTIFACT_KEY_VERSION,
    seed,
    data: { dataset: data.dataset, split: data.split, synthetic: data.synthetic },
    teacher: model.distill.enabled ? teacher : null,
    student: model.student,
    distill: model.distill,
    compress: model.compress,
  });
  return { teacher, student };
}
