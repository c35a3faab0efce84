import { accumulate, createCodec } from '@fedzip/codec';
import { makeInput } from './inputs.js';

/**
 * Runs every pipeline a few times on a small input before anything is timed, so that V8 has
 * compiled the shared kernels (and seen every sink type) before the first measured row.
 */
export function warmUp(specs: readonly string[]): void {
  const x = makeInput('laplace', 1 << 16, 1);
  const sum = new Float32Array(x.length);
  for (let round = 0; round < 5; round++) {
    for (const spec of specs) {
      const codec = createCodec(spec);
      const e = codec.encode(x, round);
      accumulate(e, 1, sum);
      codec.decode(e);
    }
  }
}
