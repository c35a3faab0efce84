import { BLOCK } from '../block.js';
import { mixSeed } from '../rng.js';
import { assertFinite } from './finite.js';
import { type Selection, gather } from './selection.js';

/**
 * k positions out of n, uniformly without replacement, sorted, from a 32-bit seed alone: Knuth's
 * selection sampling (TAOCP vol. 2, Algorithm S) driven by an inline xorshift32. The server calls
 * the same function with the seed from the header, so random-k sends no index bytes.
 */
export function randomPositions(n: number, k: number, seed: number, out = new Uint32Array(k)): Uint32Array {
  const st = new Sampling(mixSeed(seed) | 0, k);
  // One block of candidates per call (see BLOCK); stops once k are chosen.
  for (let i = 0; i < n && st.needed > 0; i += BLOCK) select(n, i, Math.min(n, i + BLOCK), out, st);
  return out;
}

/** Algorithm S's state between blocks: the generator, how many to pick still, how many picked. */
class Sampling {
  chosen = 0;
  constructor(
    public s: number,
    public needed: number,
  ) {}
}

/** Algorithm S over candidates [start, end) of n: candidate i is picked with probability needed/(n − i). */
function select(n: number, start: number, end: number, out: Uint32Array, st: Sampling): void {
  let s = st.s;
  let needed = st.needed;
  let c = st.chosen;
  for (let i = start; i < end && needed > 0; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const u = (s >>> 0) * 2.3283064365386963e-10;
    if ((n - i) * u < needed) {
      out[c++] = i;
      needed--;
    }
  }
  st.s = s;
  st.needed = needed;
  st.chosen = c;
}

/** Random-k: keeps the values at {@link randomPositions}(n, k, seed). */
export function randkSelect(x: Float32Array, k: number, seed: number): Selection {
  assertFinite(x);
  const positions = randomPositions(x.length, k, seed);
  return { positions, values: gather(x, positions, k), k };
}
