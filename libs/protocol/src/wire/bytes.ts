const toTag = (v: unknown): string => Object.prototype.toString.call(v);

/**
 * Whether `v` is a Uint8Array (a Node Buffer included), also across realms (vm contexts, iframes),
 * where `instanceof` fails. Safe on any value.
 */
export function isUint8Array(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array || (ArrayBuffer.isView(v) && toTag(v) === '[object Uint8Array]');
}

/**
 * The bytes of a received Socket.IO argument: a Uint8Array or Buffer as is, an ArrayBuffer (what
 * browsers receive) as a view; null for anything else. Never copies.
 */
export function frameBytes(frame: unknown): Uint8Array | null {
  if (isUint8Array(frame)) return frame;
  if (frame instanceof ArrayBuffer || toTag(frame) === '[object ArrayBuffer]') {
    return new Uint8Array(frame as ArrayBuffer);
  }
  return null;
}

/**
 * A copy of `bytes` in a buffer of its own (byteOffset 0, so any typed-array view of it is
 * aligned). Decoded msgpack binary is a view into the frame, and in Node the frame itself may be a
 * slice of a pooled buffer: a field that outlives the frame must be copied.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}
