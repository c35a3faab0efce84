import { ByteReader } from '../bits/byte-reader.js';
import { CodecError, check } from '../errors.js';
import { PositionCoding } from '../positions/position-coding.js';
import { valueCodecById } from '../values/registry.js';
import type { ValueCodec, ValueParams } from '../values/value-codec.js';
import { crc32 } from './checksum.js';
import { type EncodedTensor, brand } from './encoded-tensor.js';
import {
  CHECKSUM_BYTES,
  DEFAULT_MAX_ELEMENTS,
  FIXED_HEADER_BYTES,
  FLAG_CODED,
  FORMAT_VERSION,
  MIN_FORMAT_VERSION,
  MAGIC_0,
  MAGIC_1,
  MIN_MESSAGE_BYTES,
  SPARSIFIER_NAMES,
  type SparsifierName,
} from './layout.js';

/** Limits a decoder enforces on untrusted input. */
export interface DecodeLimits {
  /** Largest element count accepted (default 2^27). */
  readonly maxElements?: number;
  /** When set, the element count must equal this (the model's parameter count). */
  readonly expectedLength?: number;
}

/** The sparse section of a parsed message. */
export interface ParsedSparse {
  readonly name: Exclude<SparsifierName, 'none'>;
  readonly param: number;
  readonly k: number;
  readonly coding: PositionCoding;
  readonly riceBits: number;
  readonly seed: number;
  /** The position bytes (empty when seeded). */
  readonly positions: Uint8Array;
}

/** A message whose header, lengths and checksum have been validated. */
export interface ParsedTensor {
  readonly version: number;
  readonly n: number;
  readonly bytes: number;
  readonly sparse: ParsedSparse | null;
  readonly value: ValueCodec;
  readonly params: ValueParams;
  /**
   * Whether the value codes are entropy-coded (flags bit 0): then `payload` is the coded form,
   * shorter than `value.payloadBytes(m, params)`, and decodes with `value.entropy`.
   */
  readonly coded: boolean;
  /** The value payload: exactly `value.payloadBytes(m, params)` bytes unless `coded`. */
  readonly payload: Uint8Array;
  /** Values stored: k when sparse, n when dense. */
  readonly m: number;
}

/**
 * Validates an untrusted message: magic, version, flags, declared length, element count against
 * the limits, checksum, stage ids, and that every section length agrees with the counts, before
 * anything is allocated from a number the message claims. Accepts views at any byteOffset.
 */
export function parseEncoded(bytes: Uint8Array, limits: DecodeLimits = {}): ParsedTensor {
  check(bytes instanceof Uint8Array, 'BAD_PARAM', 'an encoded tensor must be a Uint8Array');
  check(
    bytes.length >= MIN_MESSAGE_BYTES,
    'TRUNCATED',
    `message of ${bytes.length} bytes is shorter than any header`,
  );
  const r = new ByteReader(bytes);
  check(
    r.u8() === MAGIC_0 && r.u8() === MAGIC_1,
    'BAD_MAGIC',
    'not a fedzip encoded tensor (magic is not "FZ")',
  );
  const version = r.u8();
  check(
    version >= MIN_FORMAT_VERSION && version <= FORMAT_VERSION,
    'BAD_VERSION',
    `format version ${version} is not supported (this build reads ${MIN_FORMAT_VERSION}–${FORMAT_VERSION})`,
  );
  const flags = r.u8();
  const known = version >= 2 ? FLAG_CODED : 0;
  check((flags & ~known) === 0, 'BAD_FLAGS', `flags ${flags} are reserved in version ${version}`);
  const total = r.u32();
  check(bytes.length >= total, 'TRUNCATED', `message says ${total} bytes but ${bytes.length} arrived`);
  check(bytes.length === total, 'BAD_LENGTH', `message says ${total} bytes but ${bytes.length} arrived`);
  const n = r.u32();
  const max = limits.maxElements ?? DEFAULT_MAX_ELEMENTS;
  check(n <= max, 'TOO_MANY_ELEMENTS', `element count ${n} exceeds the limit of ${max}`);
  if (limits.expectedLength !== undefined) {
    check(
      n === limits.expectedLength,
      'SHAPE_MISMATCH',
      `element count ${n}, expected ${limits.expectedLength}`,
    );
  }
  const body = bytes.subarray(0, total - CHECKSUM_BYTES);
  const stored = new DataView(bytes.buffer, bytes.byteOffset + total - CHECKSUM_BYTES, 4).getUint32(0, true);
  check(crc32(body) === stored, 'BAD_CHECKSUM', 'checksum mismatch: the message is corrupted');

  const sid = r.u8();
  const vid = r.u8();
  check(r.u16() === 0, 'BAD_FLAGS', 'reserved header bytes must be 0');
  check(r.offset === FIXED_HEADER_BYTES, 'BAD_LENGTH', 'header layout');
  const name = SPARSIFIER_NAMES[sid];
  if (name === undefined) throw new CodecError('UNKNOWN_STAGE', `unknown sparsifier id ${sid}`);
  const value = valueCodecById(vid);

  const br = new ByteReader(body);
  br.offset = FIXED_HEADER_BYTES;
  const sparse = name === 'none' ? null : readSparse(br, name, n);
  const m = sparse ? sparse.k : n;
  const param = br.u16('the value header');
  check(br.u16('the value header') === 0, 'BAD_FLAGS', 'reserved value-header bytes must be 0');
  const chunk = br.u32('the value header');
  const params: ValueParams = { param, chunk };
  value.checkParams(params);
  const raw = value.payloadBytes(m, params);
  const coded = (flags & FLAG_CODED) !== 0;
  let want = raw;
  if (coded) {
    check(value.entropy !== undefined, 'BAD_FLAGS', `${value.name} codes cannot be entropy-coded`);
    // A coded payload is strictly shorter than the raw one (so size bounds derived from
    // payloadBytes hold for every accepted message) and long enough to hold m codes.
    const min = value.entropy.minBytes(m, params);
    check(br.remaining >= min, 'TRUNCATED', `coded payload needs ≥ ${min} bytes, ${br.remaining} remain`);
    check(
      br.remaining < raw,
      'BAD_LENGTH',
      `coded payload of ${br.remaining} bytes is not shorter than the raw ${raw}`,
    );
    want = br.remaining;
  }
  check(br.remaining >= want, 'TRUNCATED', `value payload needs ${want} bytes, ${br.remaining} remain`);
  check(br.remaining === want, 'BAD_LENGTH', `value payload needs ${want} bytes, ${br.remaining} remain`);
  const payload = br.take(want, 'the value payload');
  return { version, n, bytes: total, sparse, value, params, coded, payload, m };
}

function readSparse(r: ByteReader, name: Exclude<SparsifierName, 'none'>, n: number): ParsedSparse {
  const param = r.f64('the sparse header');
  check(Number.isFinite(param) && param >= 0, 'BAD_PARAM', `sparsifier parameter ${param} is invalid`);
  const k = r.u32('the sparse header');
  check(k <= n, 'BAD_LENGTH', `kept count ${k} exceeds the element count ${n}`);
  const coding = r.u8('the sparse header') as PositionCoding;
  const riceBits = r.u8('the sparse header');
  check(r.u16('the sparse header') === 0, 'BAD_FLAGS', 'reserved sparse-header bytes must be 0');
  const word = r.u32('the sparse header');
  check(coding <= PositionCoding.Seeded, 'UNKNOWN_STAGE', `unknown position coding ${coding}`);
  check(
    (coding === PositionCoding.Seeded) === (name === 'randk'),
    'BAD_PARAM',
    `${name} cannot use position coding ${coding}`,
  );
  if (coding === PositionCoding.Seeded) {
    return { name, param, k, coding, riceBits, seed: word, positions: new Uint8Array(0) };
  }
  const positions = r.take(word, 'the position bytes');
  // Every coding spends at least one bit (Rice) or byte (varint) per kept index: a k that the
  // bytes cannot carry is rejected before any k-sized allocation.
  const floor =
    coding === PositionCoding.Rice
      ? Math.ceil(k / 8)
      : coding === PositionCoding.Varint
        ? k
        : Math.ceil(n / 8);
  check(word >= floor, 'BAD_LENGTH', `${word} position bytes cannot hold ${k} positions`);
  return { name, param, k, coding, riceBits, seed: 0, positions };
}

/** Parses and brands bytes as an {@link EncodedTensor} (the checked way to mint one). */
export function asEncoded(bytes: Uint8Array, limits: DecodeLimits = {}): EncodedTensor {
  parseEncoded(bytes, limits);
  return brand(bytes);
}
