import { packedBytes, unpackBytes } from '../bits/bit-pack.js';
import { BitWriter } from '../bits/bit-stream.js';
import { CodecError, check } from '../errors.js';
import { readScales } from './scales.js';
import { BLOCK, type Sink, chunkCount } from './sink.js';
import type { CodedPayload, ValueParams } from './value-codec.js';

/**
 * Lossless entropy coding of symmetric codes (`q<b>`, `sq<b>`; header flags bit 0), the
 * Huffman stage of Deep Compression (Han et al. 2016) done with Golomb–Rice codes (Golomb 1966,
 * Rice 1979), which suit the roughly geometric |q| of model deltas and need no code table.
 *
 * Coded payload of m values (L = 2^(b−1) − 1, q_i = code_i − L ∈ [−L, L]):
 *
 *     4·nc  f32 scales, exactly as in the raw payload
 *     1     u8 Rice parameter r, 0 ≤ r ≤ b − 1
 *     1     u8 base β = min |q_i|, 0 ≤ β ≤ L
 *     …     for each i: u = |q_i| − β as (u >> r) one-bits, a zero-bit, the r low bits of u;
 *           then, only when |q_i| > 0, a sign bit (1 = negative). LSB-first, zero-padded.
 *
 * Top-k keeps magnitudes above a threshold, so |q| starts well above 0: subtracting β removes
 * that offset before the geometric tail is Rice-coded. The coded form cannot express the raw
 * all-ones code ((L + 1)Δ); the reference encoder never writes it.
 */

/** Bytes of the entropy header after the scales. */
export const RICE_HEADER_BYTES = 2;

/**
 * Fewest bytes a coded payload of m values can have (every value spends at least the zero-bit of
 * its unary part): parsers check it before a decoder allocates anything m-sized.
 */
export function minCodedBytes(m: number, p: ValueParams): number {
  return 4 * chunkCount(m, p.chunk) + RICE_HEADER_BYTES + Math.ceil(m / 8);
}

/** Raw codes c_i ∈ [0, 2^b) of a raw payload, as bytes (8-bit codes are read in place). */
function rawCodes(raw: Uint8Array, m: number, b: number, nc: number): Uint8Array {
  const packed = raw.subarray(4 * nc, 4 * nc + packedBytes(m, b));
  if (b === 8) return packed;
  const codes = new Uint8Array(m);
  for (let s = 0; s < m; s += BLOCK) {
    const len = Math.min(BLOCK, m - s);
    unpackBytes(packed, s, len, b, codes.subarray(s, s + len));
  }
  return codes;
}

/** hist[a] += 1 for a = |c − L| over codes [start, end); returns the largest code seen. */
function histogram(codes: Uint8Array, start: number, end: number, L: number, hist: Int32Array): number {
  let top = 0;
  for (let i = start; i < end; i++) {
    const c = codes[i]!;
    if (c > top) top = c;
    hist[c > L ? c - L : L - c]!++;
  }
  return top;
}

/**
 * The coded form of a raw `q<b>`/`sq<b>` payload of m values, or null unless it is strictly
 * shorter (so no message ever grows: size bounds derived from payloadBytes stay true). The Rice
 * parameter is the one with the fewest bits, computed exactly from a histogram of |q| (≤ 128
 * bins, O(bins) per parameter).
 */
export function codeSymmetric(raw: Uint8Array, m: number, p: ValueParams): CodedPayload | null {
  const b = p.param;
  const L = (1 << (b - 1)) - 1;
  const nc = chunkCount(m, p.chunk);
  const rawBytes = 4 * nc + packedBytes(m, b);
  if (m === 0 || 4 * nc + RICE_HEADER_BYTES + Math.ceil(m / 8) >= rawBytes) return null;
  const codes = rawCodes(raw, m, b, nc);
  const hist = new Int32Array(L + 2);
  let top = 0;
  for (let s = 0; s < m; s += BLOCK)
    top = Math.max(top, histogram(codes, s, Math.min(m, s + BLOCK), L, hist));
  if (top > 2 * L) return null; // the all-ones code (L + 1)Δ has no coded form
  let base = 0;
  while (hist[base] === 0) base++;
  const signs = m - hist[0]!;
  let bestR = 0;
  let bestBits = Infinity;
  for (let r = 0; r <= b - 1; r++) {
    // Σ h[a]·((a − β) >> r) + m·(r + 1) + one sign bit per nonzero |q|.
    let bits = m * (r + 1) + signs;
    for (let a = base; a <= L; a++) bits += hist[a]! * ((a - base) >>> r);
    if (bits < bestBits) {
      bestBits = bits;
      bestR = r;
    }
  }
  const bytes = 4 * nc + RICE_HEADER_BYTES + Math.ceil(bestBits / 8);
  if (bytes >= rawBytes) return null;
  return {
    bytes,
    write(dst: Uint8Array): void {
      dst.set(raw.subarray(0, 4 * nc));
      dst[4 * nc] = bestR;
      dst[4 * nc + 1] = base;
      const w = new BitWriter(dst.subarray(4 * nc + RICE_HEADER_BYTES, bytes));
      for (let s = 0; s < m; s += BLOCK) writeRice(codes, s, Math.min(m, s + BLOCK), L, bestR, base, w);
      check(4 * nc + RICE_HEADER_BYTES + w.finish() === bytes, 'BAD_PARAM', 'entropy-coded size mismatch');
    },
  };
}

/** Appends the Rice codes of codes [start, end) (format above) to `w`. */
function writeRice(
  codes: Uint8Array,
  start: number,
  end: number,
  L: number,
  r: number,
  base: number,
  w: BitWriter,
): void {
  const mask = (1 << r) - 1;
  for (let i = start; i < end; i++) {
    const c = codes[i]!;
    const a = c >= L ? c - L : L - c;
    const u = a - base;
    w.unary(u >>> r);
    if (r > 0) w.write(u & mask, r);
    if (a > 0) w.write(c < L ? 1 : 0, 1);
  }
}

/**
 * Decodes a coded payload of m values into `sink`, bit-identical to decoding the raw payload it
 * came from. All-or-nothing: the scales and the whole bit stream are checked (and the codes
 * rebuilt as raw codes q + L) before the first value reaches the sink.
 */
export function decodeSymmetricCoded(src: Uint8Array, m: number, p: ValueParams, sink: Sink): void {
  const b = p.param;
  const L = (1 << (b - 1)) - 1;
  const nc = chunkCount(m, p.chunk);
  check(src.length >= minCodedBytes(m, p), 'TRUNCATED', 'entropy-coded payload is too short');
  const scales = readScales(src, 0, nc, false, L + 1);
  const r = src[4 * nc]!;
  const base = src[4 * nc + 1]!;
  check(r <= b - 1, 'BAD_PARAM', `Rice parameter ${r} exceeds ${b - 1} for ${b}-bit codes`);
  check(base <= L, 'BAD_PARAM', `base ${base} exceeds the largest code magnitude ${L}`);
  const codes = new Uint8Array(m);
  let state: ReaderState = { pos: 4 * nc + RICE_HEADER_BYTES, acc: 0, nb: 0 };
  for (let s = 0; s < m; s += BLOCK)
    state = readRice(src, state, codes, s, Math.min(m, s + BLOCK), L, r, base);
  // What is left must be the zero padding of the last byte, nothing more.
  check(state.pos === src.length && state.nb < 8, 'BAD_LENGTH', 'entropy-coded payload has bytes left over');
  check(state.acc === 0, 'BAD_VALUE', 'entropy-coded payload has nonzero padding bits');
  const c = p.chunk > 0 ? p.chunk : m;
  for (let ci = 0; ci < nc; ci++) {
    const d = scales[ci]!;
    const cs = ci * c;
    const ce = Math.min(m, cs + c);
    for (let start = cs; start < ce; start += BLOCK)
      sink.putAffine(codes, start, L, d, start, Math.min(BLOCK, ce - start));
  }
}

interface ReaderState {
  readonly pos: number;
  readonly acc: number;
  readonly nb: number;
}

/**
 * Reads the Rice codes of values [start, end) into raw codes q + L. `acc` holds `nb` ≤ 32
 * unread bits (bits above nb are 0), refilled a byte at a time while nb ≤ 24.
 */
function readRice(
  src: Uint8Array,
  state: ReaderState,
  out: Uint8Array,
  start: number,
  end: number,
  L: number,
  r: number,
  base: number,
): ReaderState {
  const len = src.length;
  const maxRun = (L - base) >>> r;
  const mask = (1 << r) - 1;
  let { pos, acc, nb } = state;
  for (let i = start; i < end; i++) {
    let run = 0;
    for (;;) {
      while (nb <= 24 && pos < len) {
        acc |= src[pos++]! << nb;
        nb += 8;
      }
      if (nb === 0) throw new CodecError('TRUNCATED', 'entropy-coded payload ends inside a code');
      // Trailing ones of acc: bits at and above nb are 0, so ~acc has a one by bit nb at most.
      const inv = ~acc;
      const t = inv === 0 ? 32 : 31 - Math.clz32(inv & -inv);
      if (t < nb) {
        run += t;
        acc = (acc >>> t) >>> 1;
        nb -= t + 1;
        break;
      }
      run += nb;
      acc = 0;
      nb = 0;
      if (run > maxRun) break;
    }
    if (run > maxRun) throw new CodecError('BAD_VALUE', `a code magnitude exceeds ${L}`);
    while (nb <= 24 && pos < len) {
      acc |= src[pos++]! << nb;
      nb += 8;
    }
    if (nb < r) throw new CodecError('TRUNCATED', 'entropy-coded payload ends inside a code');
    const a = base + ((run << r) | (acc & mask));
    acc >>>= r;
    nb -= r;
    if (a > L) throw new CodecError('BAD_VALUE', `code magnitude ${a} exceeds ${L}`);
    if (a === 0) {
      out[i] = L;
      continue;
    }
    if (nb < 1) throw new CodecError('TRUNCATED', 'entropy-coded payload ends inside a code');
    out[i] = acc & 1 ? L - a : L + a;
    acc >>>= 1;
    nb--;
  }
  return { pos, acc, nb };
}
