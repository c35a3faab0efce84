import CRC32 from 'crc-32';

/** CRC-32 (IEEE 802.3, as in zlib and PNG) of `bytes`, as an unsigned integer. */
export function crc32(bytes: Uint8Array): number {
  return CRC32.buf(bytes) >>> 0;
}
