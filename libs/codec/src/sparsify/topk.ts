import { BLOCK } from '../block.js';
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
  // Every pass calls its kernel once per block (see BLOCK on why).

  // Level 1: bits 30..20 of |x| (exponent and 3 mantissa bits).
  const h1 = new Uint32Array(2048);
  for (let s = 0; s < n; s += BLOCK) histTop(bits, s, Math.min(n, s + BLOCK), h1);
  let nonFinite = 0;
  for (let b = 0x7f8; b < 2048; b++) nonFinite += h1[b]!;
  if (nonFinite > 0) throw new CodecError('NON_FINITE', 'input contains NaN or Infinity');

  let need = k;
  const b1 = findBin(h1, need);
  need -= countAbove(h1, b1);

  // Level 2: bits 19..9 among elements whose level-1 bin is b1.
  const h2 = new Uint32Array(2048);
  for (let s = 0; s < n; s += BLOCK) histMid(bits, s, Math.min(n, s + BLOCK), b1, h2);
  const b2 = findBin(h2, need);
  need -= countAbove(h2, b2);

  // Level 3: bits 8..0 among elements in (b1, b2).
  const prefix = (b1 << 11) | b2;
  const h3 = new Uint32Array(512);
  for (let s = 0; s < n; s += BLOCK) histLow(bits, s, Math.min(n, s + BLOCK), prefix, h3);
  const b3 = findBin(h3, need);
  need -= countAbove(h3, b3);
  const t = (prefix << 9) | b3; // the exact bits of the k-th largest magnitude

  // `need` ties at exactly t are kept, lowest index first.
  const kept = new Kept(need);
  for (let s = 0; s < n; s += BLOCK) keep(bits, s, Math.min(n, s + BLOCK), t, positions, kept);
  return { positions, values: gather(x, positions, k), k };
}

/** h[bits 30..20 of |x_i|]++ for i in [start, end). */
function histTop(bits: Uint32Array, start: number, end: number, h: Uint32Array): void {
  for (let i = start; i < end; i++) h[(bits[i]! & 0x7fffffff) >>> 20]!++;
}

/** h[bits 19..9 of |x_i|]++ for the i in [start, end) whose bits 30..20 are `top`. */
function histMid(bits: Uint32Array, start: number, end: number, top: number, h: Uint32Array): void {
  for (let i = start; i < end; i++) {
    const a = bits[i]! & 0x7fffffff;
    if (a >>> 20 === top) h[(a >>> 9) & 0x7ff]!++;
  }
}

/** h[bits 8..0 of |x_i|]++ for the i in [start, end) whose bits 30..9 are `prefix`. */
function histLow(bits: Uint32Array, start: number, end: number, prefix: number, h: Uint32Array): void {
  for (let i = start; i < end; i++) {
    const a = bits[i]! & 0x7fffffff;
    if (a >>> 9 === prefix) h[a & 0x1ff]!++;
  }
}

/** Progress of the final pass: positions written so far, ties at the threshold still to keep. */
class Kept {
  count = 0;
  constructor(public ties: number) {}
}

/**
 * Appends to `positions` the i in [start, end) with |x_i| > t, and with |x_i| = t while ties
 * remain (lowest index first). One well-predicted branch (`a >= t`, true for ~k/n of the values)
 * guards the rare cases.
 */
function keep(
  bits: Uint32Array,
  start: number,
  end: number,
  t: number,
  positions: Uint32Array,
  kept: Kept,
): void {
  let c = kept.count;
  let ties = kept.ties;
  for (let i = start; i < end; i++) {
    const a = bits[i]! & 0x7fffffff;
    if (a >= t && (a > t || ties-- > 0)) positions[c++] = i;
  }
  kept.count = c;
  kept.ties = ties;
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
