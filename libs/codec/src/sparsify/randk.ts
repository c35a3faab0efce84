import { mixSeed } from '../rng.js';
import { assertFinite } from './finite.js';
import { type Selection, gather } from './selection.js';

/**
 * k positions out of n, uniformly without replacement, sorted, from a 32-bit seed alone: Knuth's
 * selection sampling (TAOCP vol. 2, Algorithm S) driven by an inline xorshift32. The server calls
 * the same function with the seed from the header, so random-k sends no index bytes.
 */
export function randomPositions(n: number, k: number, seed: number, out = new Uint32Array(k)): Uint32Array {
  let s = mixSeed(seed) | 0;
  let needed = k;
  let c = 0;
  for (let i = 0; i < n && needed > 0; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) * 2.3283064365386963e-10;
    if ((n - i) * u < needed) {
      out[c++] = i;
      needed--;
    }
  }
  return out;
}

/** Random-k: keeps the values at {@link randomPositions}(n, k, seed). */
export function randkSelect(x: Float32Array, k: number, seed: number): Selection {
  assertFinite(x);
  const positions = randomPositions(x.length, k, seed);
  return { positions, values: gather(x, positions, k), k };
}
