import { BLOCK } from '../block.js';
import { CodecError } from '../errors.js';

/** Raises `NON_FINITE` unless every value of `x` is finite. */
export function assertFinite(x: Float32Array, what = 'input'): void {
  // maxAbs is NaN or +Infinity exactly when some value is NaN or ±Infinity.
  if (!Number.isFinite(maxAbs(x, 0, x.length))) {
    throw new CodecError('NON_FINITE', `${what} contains NaN or Infinity`);
  }
}

/**
 * max |x[i]| over `[start, end)`, branch-free: `Math.max(m, Math.abs(v))` compiles to maxsd/andpd,
 * where the `v < 0 ? −v : v` and `if (a > max)` branches mispredict on random signs (7× slower).
 * Four accumulators break the dependency chain. Non-finite input shows in the result: NaN if any
 * value is NaN (Math.max propagates it), else +Infinity if any is ±Infinity, so callers check
 * `Number.isFinite(result)` instead of testing every value.
 */
export function maxAbs(x: Float32Array, start: number, end: number): number {
  let max = 0;
  // One kernel call per block (see BLOCK on why); Math.max carries NaN across blocks.
  for (let s = start; s < end; s += BLOCK) max = Math.max(max, maxAbsBlock(x, s, Math.min(end, s + BLOCK)));
  return max;
}

function maxAbsBlock(x: Float32Array, start: number, end: number): number {
  let m0 = 0;
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let i = start;
  for (; i + 3 < end; i += 4) {
    m0 = Math.max(m0, Math.abs(x[i]!));
    m1 = Math.max(m1, Math.abs(x[i + 1]!));
    m2 = Math.max(m2, Math.abs(x[i + 2]!));
    m3 = Math.max(m3, Math.abs(x[i + 3]!));
  }
  for (; i < end; i++) m0 = Math.max(m0, Math.abs(x[i]!));
  return Math.max(Math.max(m0, m1), Math.max(m2, m3));
}
