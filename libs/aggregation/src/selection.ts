import type { Rng } from '@fedzip/codec';
import { checkConfig } from './errors.js';

/** How many clients a round takes (issue 4, "Round scheduler"). */
export interface SelectionOptions {
  /** Fraction of the available clients to select, in (0, 1]. Default 1 (everyone). */
  readonly fraction?: number;
  /** Select exactly this many (capped by availability) instead of a fraction. */
  readonly clientsPerRound?: number;
  /** Fewest clients a round may start with. Default 1. */
  readonly minClients?: number;
  /** Fewest available clients before any round starts. Default `minClients`. */
  readonly minAvailable?: number;
}

/** Validates selection options, naming the field at fault (`AggregationError` `BAD_CONFIG`). */
export function checkSelection(o: SelectionOptions): void {
  if (o.fraction !== undefined) {
    checkConfig(
      Number.isFinite(o.fraction) && o.fraction > 0 && o.fraction <= 1,
      'fraction',
      `must be in (0, 1], got ${o.fraction}`,
    );
  }
  for (const field of ['clientsPerRound', 'minClients', 'minAvailable'] as const) {
    const v = o[field];
    if (v !== undefined)
      checkConfig(Number.isSafeInteger(v) && v >= 1, field, `must be an integer ≥ 1, got ${v}`);
  }
  checkConfig(
    o.fraction === undefined || o.clientsPerRound === undefined,
    'clientsPerRound',
    'give either fraction or clientsPerRound, not both',
  );
  if (o.clientsPerRound !== undefined && o.minClients !== undefined) {
    checkConfig(
      o.minClients <= o.clientsPerRound,
      'minClients',
      `${o.minClients} exceeds clientsPerRound ${o.clientsPerRound}`,
    );
  }
}

/**
 * The number of clients a round takes from `available`: `clientsPerRound`, or
 * ⌊available × fraction⌋, raised to `minClients` and capped by `available`; 0 when fewer than
 * `max(minAvailable, minClients)` clients are available.
 */
export function sampleSize(available: number, o: SelectionOptions): number {
  const minClients = o.minClients ?? 1;
  const minAvailable = Math.max(o.minAvailable ?? minClients, minClients);
  if (available < minAvailable) return 0;
  const target = o.clientsPerRound ?? Math.floor(available * (o.fraction ?? 1));
  return Math.min(Math.max(target, minClients), available);
}

/**
 * Selects a round's clients: a uniform sample without replacement (partial Fisher–Yates) of
 * {@link sampleSize} ids. The ids are deduplicated and sorted first, so that the selection
 * depends only on the set of available clients and the rng, not on connection order.
 *
 * @returns the selected ids, sorted; empty when too few clients are available.
 */
export function selectClients(available: readonly string[], o: SelectionOptions, rng: Rng): string[] {
  const pool = [...new Set(available)].sort();
  const k = sampleSize(pool.length, o);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.nextFloat() * (pool.length - i));
    const t = pool[i]!;
    pool[i] = pool[j]!;
    pool[j] = t;
  }
  return pool.slice(0, k).sort();
}
