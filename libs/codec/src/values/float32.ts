import { check } from '../errors.js';
import { assertFinite } from '../sparsify/finite.js';
import { BLOCK, type Sink } from './sink.js';
import type { ValueCodec } from './value-codec.js';

/** Copies float32 values `[s, s + len)` of a little-endian payload at any alignment into `block`. */
function load(src: Uint8Array, s: number, len: number, blockBytes: Uint8Array): void {
  blockBytes.set(src.subarray(4 * s, 4 * (s + len)));
}

/** Dense little-endian float32: lossless. Works at any alignment of the input view. */
export const float32Codec: ValueCodec = {
  id: 1,
  name: 'f32',
  checkParams: (p) => check(p.param === 0 && p.chunk === 0, 'BAD_PARAM', 'f32 takes no parameters'),
  payloadBytes: (m) => 4 * m,
  encode(values, _p, _rng, dst) {
    assertFinite(values);
    dst.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  },
  decode(src, m, _p, sink: Sink) {
    const block = new Float32Array(BLOCK);
    const blockBytes = new Uint8Array(block.buffer);
    // Pass 1 checks everything before pass 2 lets any value reach the sink.
    for (let s = 0; s < m; s += BLOCK) {
      const len = Math.min(BLOCK, m - s);
      load(src, s, len, blockBytes);
      assertFinite(len === BLOCK ? block : block.subarray(0, len), 'payload');
    }
    for (let s = 0; s < m; s += BLOCK) {
      const len = Math.min(BLOCK, m - s);
      load(src, s, len, blockBytes);
      sink.put(block, s, len);
    }
  },
};
