import { CodecError } from '../errors.js';
import { assertFinite } from './finite.js';
import { type Selection, gather } from './selection.js';

/**
 * Exact top-k by magnitude in O(n) with no sort: a radix select on the IEEE-754 bits of |x|
 * (for non-negative floats the bit pattern orders like the value). Three histogram levels of
 * 11, 11 and 9 bits find the k-th largest magnitude T exactly; a final scan keeps every |x| > T
 * and the lowest-index ties |x| = T, so the result is deterministic.
 *
 * The first pass also rejects NaN and ±Inf (exponent bits all set).
 */
export function topkSelect(x: Float32Array, k: number): Selection {
  const n = x.length;
  const positions = new Uint32Array(k);
  if (k === 0) {
    assertFinite(x);
    return { positions, values: new Float32Array(0), k };
  }
  const bits = new Uint32Array(x.buffer, x.byteOffset, n);

  // Level 1: bits 30..20 of |x| (exponent and 3 mantissa bits).
  const h1 = new Uint32Array(2048);
  for (let i = 0; i < n; i++) h1[(bits[i]! & 0x7fffffff) >>> 20]!++;
  let nonFinite = 0;
  for (let b = 0x7f8; b < 2048; b++) nonFinite += h1[b]!;
  if (nonFinite > 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');

  let need = k;
  const b1 = findBin(h1, need);
  need -= countAbove(h1, b1);

  // Level 2: bits 19..9 among elements whose level-1 bin is b1.
  const h2 = new Uint32Array(2048);
  for (let i = 0; i < n; i++) {
    const a = bits[i]! & 0x7fffffff;
    if (a >>> 20 === b1) h2[(a >>> 9) & 0x7ff]!++;
  }
  const b2 = findBin(h2, need);
  need -= countAbove(h2, b2);

  // Level 3: bits 8..0 among elements in (b1, b2).
  const prefix = (b1 << 11) | b2;
  const h3 = new Uint32Array(512);
  for (let i = 0; i < n; i++) {
    const a = bits[i]! & 0x7fffffff;
    if (a >>> 9 === prefix) h3[a & 0x1ff]!++;
  }
  const b3 = findBin(h3, need);
  need -= countAbove(h3, b3);
  const t = (prefix << 9) | b3; // the exact bits of the k-th largest magnitude

  // `need` ties at exactly t are kept, lowest index first.
  let ties = need;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const a = bits[i]! & 0x7fffffff;
    if (a > t || (a === t && ties-- > 0)) positions[c++] = i;
  }
  return { positions, values: gather(x, positions, k), k };
}

/** The highest bin at which the count from the top reaches `need`. */
function findBin(h: Uint32Array, need: number): number {
  let acc = 0;
  for (let b = h.length - 1; b >= 0; b--) {
    acc += h[b]!;
    if (acc >= need) return b;
  }
  return 0;
}

function countAbove(h: Uint32Array, bin: number): number {
  let acc = 0;
  for (let b = h.length - 1; b > bin; b--) acc += h[b]!;
  return acc;
}
