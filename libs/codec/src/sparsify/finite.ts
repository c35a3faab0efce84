import { CodecError } from '../errors.js';

/** Raises `NON_FINITE` unless every value of `x` is finite (v − v is NaN exactly for NaN and ±Inf). */
export function assertFinite(x: Float32Array, what = 'input'): void {
  let bad = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    bad += v - v;
  }
  if (bad !== 0) throw new CodecError('NON_FINITE', `${what} contains NaN or Infinity`);
}
