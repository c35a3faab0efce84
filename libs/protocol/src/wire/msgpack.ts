import { FLOAT32_OPTIONS, type Options, Packr } from 'msgpackr';

/**
 * The one msgpackr configuration of the protocol: plain MessagePack that any implementation
 * reads (docs/protocol.md, "Framing").
 *
 * - `useRecords: false`, `structuredClone: false`, `moreTypes: false`, `bundleStrings: false`:
 *   objects are msgpack maps with string keys, no msgpackr extensions are written; typed arrays and
 *   Buffers are written as msgpack `bin` (their bytes).
 * - `mapsAsObjects: true`: maps decode to plain objects (`__proto__` keys are renamed by msgpackr).
 * - `int64AsType: 'number'`: 64-bit integers decode as numbers (schemas then refuse unsafe ones)
 *   instead of bigints.
 * - `skipValues: [undefined]`: an undefined property is left out, as JSON does, rather than written
 *   as msgpackr's non-standard `undefined` extension.
 * - non-integer numbers are float64 (float32 through {@link packValueFloat32}, for `update`);
 *   integers use the smallest msgpack int that holds them, and integers beyond 32 bits are written
 *   as float64 (exact up to 2^53).
 * - no `structures`: no state is shared between frames, so one client's frame cannot change how
 *   another's decodes.
 */
const options: Options & { readonly skipValues: readonly unknown[] } = {
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  bundleStrings: false,
  mapsAsObjects: true,
  copyBuffers: false,
  int64AsType: 'number',
  skipValues: [undefined],
};

const packr = new Packr(options);
// The same, but non-integers in [-2^31, 2^32) go out as float32 (5 bytes, not 9): only for frames
// whose every non-integer may lose float64 precision (the `update` tuple's loss, accuracy and
// fractional timings).
const packr32 = new Packr({ ...options, useFloat32: FLOAT32_OPTIONS.ALWAYS });

/** Encodes `value` as one msgpack value. The result is a plain Uint8Array (not a Node Buffer). */
export function packValue(value: unknown): Uint8Array {
  return plain(packr.pack(value));
}

/**
 * {@link packValue}, except that every non-integer number in [-2^31, 2^32) is written as msgpack
 * float32 (rounded to nearest, as `Math.fround`); other non-integers stay float64. Integers and
 * everything else are written as by {@link packValue}. Plain msgpack: any reader decodes it.
 */
export function packValueFloat32(value: unknown): Uint8Array {
  return plain(packr32.pack(value));
}

function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Outcome of {@link unpackValue}. */
export type UnpackResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/**
 * Decodes exactly one msgpack value from `bytes`, never throwing. Fails on truncated data,
 * trailing bytes and nesting deep enough to exhaust the stack. Binary values in the result are
 * views into `bytes`.
 *
 * It reads with `unpackMultiple` and stops after the first value, then checks that the value
 * ended at the last byte: msgpackr's `unpack` reports trailing bytes by JSON-serialising the whole
 * decoded value into its error message, which costs seconds on a frame holding megabytes of binary.
 */
export function unpackValue(bytes: Uint8Array): UnpackResult {
  if (bytes.byteLength === 0) return { ok: false, reason: 'the frame is empty' };
  let value: unknown;
  let end = -1;
  try {
    packr.unpackMultiple(bytes, (v: unknown, _start?: number, stop?: number) => {
      value = v;
      end = stop ?? -1;
      return false;
    });
  } catch (err) {
    return { ok: false, reason: describe(err) };
  }
  if (end !== bytes.byteLength) {
    return {
      ok: false,
      reason: end < 0 ? 'no msgpack value' : `${bytes.byteLength - end} bytes follow the msgpack value`,
    };
  }
  return { ok: true, value };
}

function describe(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown };
  const text = typeof e.message === 'string' ? e.message : typeof err === 'string' ? err : 'unknown error';
  if (e.name === 'RangeError' && /call stack/i.test(text)) return 'msgpack nesting is too deep';
  return `malformed msgpack: ${text.slice(0, 160)}`;
}
