declare const encodedBrand: unique symbol;

/**
 * Bytes of a self-describing encoded tensor. The brand makes the type system refuse a raw
 * `Float32Array` or arbitrary bytes where an encoded update is expected (GRACE's untyped glue once
 * sent the raw tensor instead of the compressed one). Only `encode` and `parseEncoded` mint it.
 */
export type EncodedTensor = Uint8Array & { readonly [encodedBrand]: true };

/** Marks bytes as encoded. Internal: callers get EncodedTensor from encode or parseEncoded. */
export function brand(bytes: Uint8Array): EncodedTensor {
  return bytes as EncodedTensor;
}
