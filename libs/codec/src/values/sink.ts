import { BLOCK } from '../block.js';

/**
 * Where decoded values go. Value codecs decode block by block into a small scratch buffer and
 * hand each block to a sink, so one decoder serves plain decode, sparse scatter and the server's
 * decode-and-accumulate, and accumulation never materialises a dense copy per client.
 *
 * Codecs whose values are an affine map of byte codes (q, sq, aq) skip the scratch block and call
 * {@link Sink.putAffine}, which fuses the dequantization into the sink's own loop: one pass over
 * the codes instead of a write and a re-read of a float block (3× faster on the server's
 * decode-and-accumulate path). Both methods deliver bit-identical values.
 */
export interface Sink {
  /** Receives decoded values `block[0..len)` for logical indices `[start, start + len)`. */
  put(block: Float32Array, start: number, len: number): void;
  /**
   * Receives the values `fround((codes[codeStart + i] − zero) × scale)`, i < len, for logical
   * indices `[start, start + len)`: exactly what `put` would get from a Float32Array block
   * filled with `(code − zero) × scale` (a Float32Array store rounds like `Math.fround`).
   */
  putAffine(
    codes: Uint8Array,
    codeStart: number,
    zero: number,
    scale: number,
    start: number,
    len: number,
  ): void;
}

export { BLOCK };

/** Writes decoded values into `out[start..]`. */
export class SetSink implements Sink {
  constructor(private readonly out: Float32Array) {}
  put(block: Float32Array, start: number, len: number): void {
    this.out.set(len === block.length ? block : block.subarray(0, len), start);
  }
  putAffine(
    codes: Uint8Array,
    codeStart: number,
    zero: number,
    scale: number,
    start: number,
    len: number,
  ): void {
    const out = this.out;
    const d = codeStart - start;
    const end = start + len;
    for (let j = start; j < end; j++) out[j] = (codes[j + d]! - zero) * scale;
  }
}

/** Adds `weight × value` into `sum[start..]`. */
export class AddSink implements Sink {
  constructor(
    private readonly sum: Float32Array | Float64Array,
    private readonly weight: number,
  ) {}
  put(block: Float32Array, start: number, len: number): void {
    const sum = this.sum;
    const w = this.weight;
    for (let i = 0; i < len; i++) sum[start + i]! += w * block[i]!;
  }
  putAffine(
    codes: Uint8Array,
    codeStart: number,
    zero: number,
    scale: number,
    start: number,
    len: number,
  ): void {
    const sum = this.sum;
    const w = this.weight;
    const d = codeStart - start;
    const end = start + len;
    // sum += w × x̂, with x̂ rounded to float32 first exactly as `put` receives it.
    for (let j = start; j < end; j++) sum[j]! += w * Math.fround((codes[j + d]! - zero) * scale);
  }
}

/** Writes value i to `out[positions[i]]`. */
export class ScatterSink implements Sink {
  constructor(
    private readonly out: Float32Array,
    private readonly positions: Uint32Array,
  ) {}
  put(block: Float32Array, start: number, len: number): void {
    const out = this.out;
    const pos = this.positions;
    for (let i = 0; i < len; i++) out[pos[start + i]!] = block[i]!;
  }
  putAffine(
    codes: Uint8Array,
    codeStart: number,
    zero: number,
    scale: number,
    start: number,
    len: number,
  ): void {
    const out = this.out;
    const pos = this.positions;
    const d = codeStart - start;
    const end = start + len;
    for (let j = start; j < end; j++) out[pos[j]!] = (codes[j + d]! - zero) * scale;
  }
}

/** Adds `weight × value i` into `sum[positions[i]]`. */
export class ScatterAddSink implements Sink {
  constructor(
    private readonly sum: Float32Array | Float64Array,
    private readonly positions: Uint32Array,
    private readonly weight: number,
  ) {}
  put(block: Float32Array, start: number, len: number): void {
    const sum = this.sum;
    const pos = this.positions;
    const w = this.weight;
    for (let i = 0; i < len; i++) sum[pos[start + i]!]! += w * block[i]!;
  }
  putAffine(
    codes: Uint8Array,
    codeStart: number,
    zero: number,
    scale: number,
    start: number,
    len: number,
  ): void {
    const sum = this.sum;
    const pos = this.positions;
    const w = this.weight;
    const d = codeStart - start;
    const end = start + len;
    for (let j = start; j < end; j++) sum[pos[j]!]! += w * Math.fround((codes[j + d]! - zero) * scale);
  }
}

/**
 * Visits `[0, m)` in blocks of at most {@link BLOCK} that never straddle a chunk of `chunk`
 * values (chunk 0 = one chunk). `fn(start, len, chunkIndex)`.
 */
export function forEachBlock(
  m: number,
  chunk: number,
  fn: (start: number, len: number, chunkIndex: number) => void,
): void {
  const c = chunk > 0 ? chunk : Math.max(m, 1);
  for (let cs = 0, ci = 0; cs < m; cs += c, ci++) {
    const ce = Math.min(m, cs + c);
    for (let s = cs; s < ce; s += BLOCK) fn(s, Math.min(BLOCK, ce - s), ci);
  }
}

/** Number of chunks of `chunk` values in `m` (chunk 0 = one chunk; none when m = 0). */
export function chunkCount(m: number, chunk: number): number {
  if (m === 0) return 0;
  return chunk > 0 ? Math.ceil(m / chunk) : 1;
}
