import { type ParsedTensor, formatSpec, parseSpec, specOf } from '@fedzip/codec';

/**
 * The spec as the encoded header records it: encoder-only options (approx-topk's sample, k-means
 * iterations) are not on the wire, so they are dropped before comparing.
 */
export function wireSpec(spec: string): string {
  const p = parseSpec(spec);
  const sparsifier =
    p.sparsifier?.kind === 'approx-topk'
      ? { kind: 'approx-topk' as const, fraction: p.sparsifier.fraction }
      : p.sparsifier;
  const value = p.value.kind === 'kmeans' ? { ...p.value, iters: undefined } : p.value;
  return formatSpec(sparsifier ? { sparsifier, value } : { value });
}

/** Whether a parsed message was encoded with the assigned pipeline. */
export function matchesAssigned(t: ParsedTensor, assigned: string): boolean {
  return formatSpec(specOf(t)) === wireSpec(assigned);
}
