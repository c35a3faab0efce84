import { StoreError } from './errors.js';

/**
 * What an experiment id may look like: the config's experiment-name alphabet, 1–128 characters.
 * Ids end up in URLs and file names, so nothing else is allowed.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Client ids are opaque, but printable: 1–128 characters, no control characters. */
// eslint-disable-next-line no-control-regex
const CLIENT_ID = /^[^\u0000-\u001f\u007f]{1,128}$/;

function bad(field: string, message: string): never {
  throw new StoreError('BAD_INPUT', `${field}: ${message}`, { field });
}

/** Throws `BAD_INPUT` unless `value` matches {@link ID_PATTERN}. */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    bad(field, `expected an id matching ${String(ID_PATTERN)}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws `BAD_INPUT` unless `value` is a printable string of 1–128 characters. */
export function checkClientId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !CLIENT_ID.test(value)) {
    bad(field, `expected 1-128 printable characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws `BAD_INPUT` unless `value` is a string of at most `max` characters (default 4096). */
export function checkText(value: unknown, field: string, max = 4096): string {
  if (typeof value !== 'string' || value.length > max) {
    bad(field, `expected a string of at most ${max} characters`);
  }
  return value;
}

/** Throws `BAD_INPUT` unless `value` is a safe integer ≥ `min` (default 0). */
export function checkInt(value: unknown, field: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    bad(field, `expected an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throws `BAD_INPUT` unless `value` is a finite number ≥ `min` (default: any). */
export function checkFinite(value: unknown, field: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    bad(field, `expected a finite number${min === -Infinity ? '' : ` >= ${min}`}, got ${String(value)}`);
  }
  return value;
}

/** {@link checkFinite}, but `null` and `undefined` pass as `null`. */
export function checkOptFinite(value: unknown, field: string, min = -Infinity): number | null {
  return value === null || value === undefined ? null : checkFinite(value, field, min);
}

/** {@link checkInt}, but `null` and `undefined` pass as `null`. */
export function checkOptInt(value: unknown, field: string, min = 0): number | null {
  return value === null || value === undefined ? null : checkInt(value, field, min);
}

/** Throws `BAD_INPUT` unless `value` is one of `allowed`. */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    bad(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/**
 * Serialises `value` as JSON for a TEXT column. Throws `BAD_INPUT` for what JSON cannot hold
 * (`undefined`, functions, cycles, BigInt) and for non-finite numbers, which `JSON.stringify`
 * would silently turn into `null`.
 */
export function toJson(value: unknown, field: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) bad(field, `holds a non-finite number (${v})`);
      return v;
    });
  } catch (err) {
    if (err instanceof StoreError) throw err;
    bad(field, `is not JSON-serialisable (${(err as Error).message})`);
  }
  if (text === undefined) bad(field, 'is not JSON-serialisable');
  return text;
}
