import { createHash } from 'node:crypto';

/**
 * The SHA-256 (lowercase hex) of the weights' bytes as stored: IEEE-754 float32, little-endian
 * (the host order on every platform Node supports), `byteOffset` respected. This is the model's
 * identity: two models with the same hash are bit-identical, NaN payloads and `-0` included.
 */
export function weightsSha256(weights: Float32Array): string {
  return sha256Hex(bytesOf(weights));
}

/** SHA-256 of `bytes`, lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A `Buffer` view over the array's own bytes (no copy), for binding as a BLOB. */
export function bytesOf(array: Float32Array | Uint8Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/**
 * A fresh, aligned `Float32Array` holding a copy of `blob` (SQLite hands BLOBs back as Buffers
 * that may sit at any offset of a shared pool, so they cannot be reinterpreted in place).
 * `blob.byteLength` must be a multiple of 4.
 */
export function float32FromBlob(blob: Uint8Array): Float32Array {
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** A fresh `Uint8Array` copy of `blob`, detached from SQLite's buffer. */
export function bytesFromBlob(blob: Uint8Array): Uint8Array {
  return new Uint8Array(blob);
}
