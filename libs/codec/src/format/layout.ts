/**
 * Byte layout of an encoded tensor, version 2 (docs/wire-format.md). All integers little-endian.
 * Version 1 is the same layout with flags = 0; decoders read both, encoders write version 2.
 *
 *     0   u8[2]  magic "FZ" (0x46 0x5A)
 *     2   u8     format version (2; 1 is still read)
 *     3   u8     flags: bit 0 = the value codes are entropy-coded (q/sq only); other bits 0
 *     4   u32    total length in bytes, checksum included
 *     8   u32    n, element count of the dense tensor
 *     12  u8     sparsifier id (0 none, 1 topk, 2 approx-topk, 3 randk, 4 thresh)
 *     13  u8     value codec id (1 f32 … 10 ternary)
 *     14  u16    reserved (0)
 *     16  sparse section, only when sparsifier id ≠ 0:
 *           f64  parameter (fraction, or threshold for thresh)
 *           u32  k, kept count
 *           u8   position coding (0 Rice, 1 varint, 2 bitmap, 3 seeded)
 *           u8   Rice parameter b (0 otherwise)
 *           u16  reserved (0)
 *           u32  position bytes P, or the seed when seeded (then P = 0)
 *           P bytes of positions
 *     value section:
 *           u16  param (bits, levels or centroids; 0 when unused)
 *           u16  reserved (0)
 *           u32  chunk (values per scale; 0 = one per tensor)
 *           payload, exactly ValueCodec.payloadBytes(m) for m = k (sparse) or n (dense); when
 *           flags bit 0 is set, the coded form (values/symmetric-rice.ts), strictly shorter
 *     end−4  u32  CRC-32 (IEEE) of every byte before it
 */
export const MAGIC_0 = 0x46;
export const MAGIC_1 = 0x5a;
/** The version encoders write. */
export const FORMAT_VERSION = 2;
/** The oldest version decoders still read (flags must be 0 there). */
export const MIN_FORMAT_VERSION = 1;
/** Flags bit 0: the value stage's codes are entropy-coded (version ≥ 2, q and sq only). */
export const FLAG_CODED = 1;
export const FIXED_HEADER_BYTES = 16;
export const SPARSE_HEADER_BYTES = 20;
export const VALUE_HEADER_BYTES = 8;
export const CHECKSUM_BYTES = 4;
/** The smallest well-formed message: a dense tensor of zero elements. */
export const MIN_MESSAGE_BYTES = FIXED_HEADER_BYTES + VALUE_HEADER_BYTES + CHECKSUM_BYTES;

/** Wire ids of the sparsifiers. */
export const SPARSIFIER_IDS = { none: 0, topk: 1, 'approx-topk': 2, randk: 3, thresh: 4 } as const;
/** Sparsifier names by wire id. */
export const SPARSIFIER_NAMES = ['none', 'topk', 'approx-topk', 'randk', 'thresh'] as const;
export type SparsifierName = (typeof SPARSIFIER_NAMES)[number];

/** Default cap on the element count a decoder accepts (2^27 ≈ 134M floats, 512 MB dense). */
export const DEFAULT_MAX_ELEMENTS = 2 ** 27;
