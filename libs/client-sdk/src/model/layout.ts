/**
 * Comparing the server's `model.layout` with the local model's, and a fingerprint of a layout that
 * keys the persisted error-feedback residual: a residual is meaningful only for the parameters it
 * was accumulated over.
 */
import type { WeightLayout } from '@fedzip/model';
import type { LayoutEntry } from '@fedzip/protocol';

/** `name[d0,d1];name[d0]…`: equal exactly when names, shapes and order are equal. */
export function layoutFingerprint(entries: readonly { name: string; shape: readonly number[] }[]): string {
  return entries.map((e) => `${e.name}[${e.shape.join(',')}]`).join(';');
}

/** Why `received` (a `model` message's layout) differs from `local`, or null when it does not. */
export function layoutMismatch(received: readonly LayoutEntry[], local: WeightLayout): string | null {
  if (received.length !== local.entries.length) {
    return `the server's layout has ${received.length} tensors, the local model ${local.entries.length}`;
  }
  for (let i = 0; i < received.length; i++) {
    const r = received[i]!;
    const l = local.entries[i]!;
    if (r.name !== l.name || r.shape.length !== l.shape.length || r.shape.some((d, j) => d !== l.shape[j])) {
      return `tensor ${i} is ${r.name}[${r.shape.join(', ')}] on the server, ${l.name}[${l.shape.join(', ')}] here`;
    }
  }
  return null;
}
