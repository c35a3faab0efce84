/**
 * Where decoded values go. Value codecs decode block by block into a small scratch buffer and
 * hand each block to a sink, so one decoder serves plain decode, sparse scatter and the server's
 * decode-and-accumulate, and accumulation never materialises a dense copy per client.
 */
export interface Sink {
  /** Receives decoded values `block[0..len)` for logical indices `[start, start + len)`. */
  put(block: Float32Array, start: number, len: number): void;
}

/** Values this many at a time: small enough to stay in L1. */
export const BLOCK = 4096;

/** Writes decoded values into `out[start..]`. */
export class SetSink implements Sink {
  constructor(private readonly out: Float32Array) {}
  put(block: Float32Array, start: number, len: number): void {
    this.out.set(len === block.length ? block : block.subarray(0, len), start);
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
