import type { Codec } from '../codec.js';
import { CodecError } from '../errors.js';
import { decode } from '../format/decode.js';
import type { EncodedTensor } from '../format/encoded-tensor.js';
import type { Rng } from '../rng.js';

/**
 * Client-side error feedback (Stich et al. 2018; Karimireddy et al. 2019), exactly as in
 * REFERENCES.md: p = Δ + e, send C(p), e ← p − decode(C(p)). What a biased or sparse compressor
 * drops this round is carried into the next, so top-k and sign converge.
 */
export class ResidualMemory {
  /** The residual e, one value per model parameter. */
  readonly residual: Float32Array;

  constructor(n: number, initial?: Float32Array) {
    if (initial && initial.length !== n) {
      throw new CodecError('SHAPE_MISMATCH', `residual has ${initial.length} values, model has ${n}`);
    }
    this.residual = initial ? Float32Array.from(initial) : new Float32Array(n);
  }

  /** p = Δ + e (a new array; Δ is left as it is). */
  compensate(delta: Float32Array): Float32Array {
    this.checkLength(delta);
    const p = new Float32Array(delta.length);
    for (let i = 0; i < p.length; i++) p[i] = delta[i]! + this.residual[i]!;
    return p;
  }

  /** e ← p − sent, where `sent` is what the receiver will decode. */
  update(p: Float32Array, sent: Float32Array): void {
    this.checkLength(p);
    this.checkLength(sent);
    for (let i = 0; i < p.length; i++) this.residual[i] = p[i]! - sent[i]!;
  }

  /** Forgets the residual (e.g. when the model it refers to is replaced). */
  reset(): void {
    this.residual.fill(0);
  }

  /** ‖e‖₂, for progress reports. */
  norm(): number {
    let s = 0;
    for (let i = 0; i < this.residual.length; i++) s += this.residual[i]! * this.residual[i]!;
    return Math.sqrt(s);
  }

  private checkLength(x: Float32Array): void {
    if (x.length !== this.residual.length) {
      throw new CodecError(
        'SHAPE_MISMATCH',
        `tensor has ${x.length} values, residual has ${this.residual.length}`,
      );
    }
  }
}

/** One error-feedback step: compensate, encode, and update the residual with what was sent. */
export function encodeWithFeedback(
  codec: Codec,
  delta: Float32Array,
  memory: ResidualMemory,
  rng: Rng | number,
): EncodedTensor {
  const p = memory.compensate(delta);
  const encoded = codec.encode(p, rng);
  memory.update(p, decode(encoded));
  return encoded;
}
