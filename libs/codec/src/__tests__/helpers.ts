/**
 * Shared fixtures of the codec specs (not a spec itself: jest only runs `*.spec.ts`, and the build
 * excludes `__tests__/`). Includes an independent writer of the wire format (layout.ts), so hostile
 * messages can be built field by field and the golden vectors are checked against the document,
 * not only against the encoder.
 */
import { expect } from '@jest/globals';
import { CodecError, type CodecErrorCode } from '../errors.js';
import { crc32 } from '../format/checksum.js';
import { createRng } from '../rng.js';

/** Every value stage, dense, with and without chunks. */
export const VALUE_SPECS = [
  'none',
  'f16',
  'bf16',
  'q2',
  'q4',
  'q8',
  'q3(chunk=5)',
  'q8(chunk=7)',
  'sq2',
  'sq8',
  'sq4(chunk=6)',
  'aq2',
  'aq8',
  'aq5(chunk=9)',
  'qsgd:1',
  'qsgd:4',
  'qsgd:127(chunk=11)',
  'qsgd:4(chunk=0)',
  'kmeans:2',
  'kmeans:16',
  'kmeans:5(chunk=13)',
  'sign',
  'sign(chunk=10)',
  'ternary',
  'ternary(chunk=7)',
] as const;

/** Sparse pipelines covering every sparsifier and every value stage at least once. */
export const SPARSE_SPECS = [
  'topk:0.1',
  'topk:0.2+q8',
  'topk:0.05+f16',
  'topk:0.3+bf16',
  'topk:0.1+aq4',
  'topk:0.25+kmeans:4',
  'approx-topk:0.1+sign',
  'approx-topk:0.02+q4(chunk=3)',
  'randk:0.1+sq4',
  'randk:0.3',
  'randk:0.2+ternary',
  'randk:0.15+qsgd:8(chunk=5)',
  'thresh:1.5+q6',
  'thresh:0+kmeans:3',
] as const;

export const ALL_SPECS: readonly string[] = [...VALUE_SPECS, ...SPARSE_SPECS];

/** Standard normal values from a seeded generator (Box–Muller). */
export function gaussian(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - rng.nextFloat();
    const v = rng.nextFloat();
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return out;
}

/** Runs `fn` and returns the CodecError it throws; fails the test for anything else. */
export function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw new Error(`expected a CodecError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected a CodecError, nothing was thrown');
}

/** Asserts that `fn` throws a CodecError with `code` (and a message matching `msg` if given). */
export function expectCodecError(fn: () => unknown, code: CodecErrorCode, msg?: RegExp): CodecError {
  const e = codecError(fn);
  expect(e.code).toBe(code);
  if (msg) expect(e.message).toMatch(msg);
  return e;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
}

/** A copy of `bytes` whose last four bytes are the CRC-32 of the rest again (after a mutation). */
export function withCrc(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const crc = crc32(out.subarray(0, out.length - 4));
  new DataView(out.buffer).setUint32(out.length - 4, crc, true);
  return out;
}

/** A copy of `bytes` with a little-endian field overwritten, CRC recomputed unless `fixCrc` is false. */
export function patch(
  bytes: Uint8Array,
  offset: number,
  value: number,
  width: 1 | 2 | 4 | 8 | 'f32' | 'f64',
  fixCrc = true,
): Uint8Array {
  const out = Uint8Array.from(bytes);
  const v = new DataView(out.buffer);
  if (width === 1) v.setUint8(offset, value);
  else if (width === 2) v.setUint16(offset, value, true);
  else if (width === 4) v.setUint32(offset, value, true);
  else if (width === 'f32') v.setFloat32(offset, value, true);
  else v.setFloat64(offset, value, true);
  return fixCrc ? withCrc(out) : out;
}

/** `bytes` copied into a larger buffer at byte offset `at`, returned as a view (like msgpackr's). */
export function viewAt(bytes: Uint8Array, at: number): Uint8Array {
  const big = new Uint8Array(at + bytes.length + 5).fill(0xa5);
  big.set(bytes, at);
  return big.subarray(at, at + bytes.length);
}

/** The fields of a message, for {@link buildMessage}. Defaults give a valid dense f32 message. */
export interface MessageFields {
  magic?: [number, number];
  version?: number;
  flags?: number;
  /** Declared total length; default: the real length. */
  total?: number;
  n: number;
  sparsifierId?: number;
  valueId: number;
  reserved?: number;
  sparse?: {
    param: number;
    k: number;
    coding: number;
    riceBits?: number;
    reserved?: number;
    /** Position byte count, or the seed when seeded; default: positions.length. */
    word?: number;
    positions?: Uint8Array;
  };
  param?: number;
  valueReserved?: number;
  chunk?: number;
  payload: Uint8Array;
  /** Stored checksum; default: the correct CRC-32. */
  crc?: number;
}

/** Writes a message field by field, exactly as layout.ts / docs/wire-format.md describe it. */
export function buildMessage(f: MessageFields): Uint8Array {
  const pos = f.sparse?.positions ?? new Uint8Array(0);
  const len = 16 + (f.sparse ? 20 + pos.length : 0) + 8 + f.payload.length + 4;
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  const [m0, m1] = f.magic ?? [0x46, 0x5a];
  v.setUint8(0, m0);
  v.setUint8(1, m1);
  v.setUint8(2, f.version ?? 2);
  v.setUint8(3, f.flags ?? 0);
  v.setUint32(4, f.total ?? len, true);
  v.setUint32(8, f.n, true);
  v.setUint8(12, f.sparsifierId ?? (f.sparse ? 1 : 0));
  v.setUint8(13, f.valueId);
  v.setUint16(14, f.reserved ?? 0, true);
  let o = 16;
  if (f.sparse) {
    const s = f.sparse;
    v.setFloat64(o, s.param, true);
    v.setUint32(o + 8, s.k, true);
    v.setUint8(o + 12, s.coding);
    v.setUint8(o + 13, s.riceBits ?? 0);
    v.setUint16(o + 14, s.reserved ?? 0, true);
    v.setUint32(o + 16, s.word ?? pos.length, true);
    out.set(pos, o + 20);
    o += 20 + pos.length;
  }
  v.setUint16(o, f.param ?? 0, true);
  v.setUint16(o + 2, f.valueReserved ?? 0, true);
  v.setUint32(o + 4, f.chunk ?? 0, true);
  out.set(f.payload, o + 8);
  v.setUint32(len - 4, f.crc ?? crc32(out.subarray(0, len - 4)), true);
  return out;
}

/** Little-endian float32 bytes of `values`. */
export function f32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** Concatenates byte arrays. */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Bit patterns of a float array as hex strings, for bit-exact comparisons (−0 differs from +0). */
export function bitsOf(x: Float32Array | Float64Array): string[] {
  if (x instanceof Float64Array)
    return Array.from(new BigUint64Array(x.slice().buffer), (b) => b.toString(16));
  return Array.from(new Uint32Array(x.slice().buffer), (b) => b.toString(16));
}

/** Mean of `decode(encode(x, seed))` over seeds 1..runs (for unbiasedness tests). */
export function meanOverSeeds(
  encode: (x: Float32Array, seed: number) => Uint8Array,
  decode: (e: Uint8Array) => Float32Array,
  x: Float32Array,
  runs: number,
): Float64Array {
  const mean = new Float64Array(x.length);
  for (let s = 1; s <= runs; s++) {
    const d = decode(encode(x, s));
    for (let i = 0; i < x.length; i++) mean[i]! += d[i]!;
  }
  for (let i = 0; i < x.length; i++) mean[i]! /= runs;
  return mean;
}

/** The float32 scale number `i` at the start of a value payload. */
export function scaleAt(payload: Uint8Array, i: number): number {
  return new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getFloat32(4 * i, true);
}

/** Asserts two float arrays are bit-identical (fast; shows a readable diff only on failure). */
export function expectSameBits(
  actual: Float32Array | Float64Array,
  expected: Float32Array | Float64Array,
): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (actual.constructor !== expected.constructor || !a.equals(b))
    expect(bitsOf(actual)).toEqual(bitsOf(expected));
}
