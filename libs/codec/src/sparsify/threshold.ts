import { CodecError } from '../errors.js';
import { type Selection, gather } from './selection.js';

/** Keeps every value with |x| ≥ t (two scans: count, then collect). */
export function thresholdSelect(x: Float32Array, t: number): Selection {
  let count = 0;
  let bad = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    bad += v - v;
    if (v >= t || v <= -t) count++;
  }
  if (bad !== 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');
  const positions = new Uint32Array(count);
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v >= t || v <= -t) positions[c++] = i;
  }
  return { positions, values: gather(x, positions, count), k: count };
}
