/**
 * The dashboard's state and how admin-channel events change it: pure functions over
 * {@link AdminSnapshot} (no DOM, no Socket.IO), unit-tested in Node.
 */
import type { AdminServerToClientEvents, AdminSnapshot, RoundRecord } from '@fedzip/protocol';
import { totalsOf } from '@fedzip/protocol';

/** An admin event and its payload, as received. */
export type AdminEvent = {
  [E in keyof AdminServerToClientEvents]: { type: E; data: Parameters<AdminServerToClientEvents[E]>[0] };
}[keyof AdminServerToClientEvents];

/** Applies one admin event to the state (a snapshot replaces it). Returns a new state. */
export function applyAdminEvent(state: AdminSnapshot | null, event: AdminEvent): AdminSnapshot | null {
  if (event.type === 'snapshot') return event.data;
  if (state === null) return null; // events before the snapshot cannot be placed
  switch (event.type) {
    case 'clients':
      return { ...state, clients: event.data };
    case 'progress':
      return { ...state, clients: event.data.clients };
    case 'round-opened': {
      const { selected, ...open } = event.data;
      return {
        ...state,
        status: 'running',
        current: open,
        clients: { ...state.clients, selected, reported: 0, dropped: 0 },
      };
    }
    case 'round-closed': {
      const records = [...state.records, event.data.record];
      return { ...state, current: null, records, totals: event.data.totals ?? totalsOf(records) };
    }
    case 'finished': {
      const { reason: _old, ...rest } = state;
      return {
        ...rest,
        status: event.data.status,
        ...(event.data.reason === undefined ? {} : { reason: event.data.reason }),
        current: null,
      };
    }
  }
}

/** The round the dashboard headlines: the open one, else the last completed one (0: none yet). */
export function displayedRound(state: AdminSnapshot): number {
  if (state.current) return state.current.round;
  let last = 0;
  for (const r of state.records) if (r.status === 'completed' && r.round > last) last = r.round;
  return last;
}

/** The latest evaluated test accuracy, or null. */
export function latestAccuracy(records: readonly RoundRecord[]): number | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.status === 'completed' && r.accuracy !== null) return r.accuracy;
  }
  return null;
}

/**
 * The differential-privacy ε spent so far (the latest record that carries one), or null when the
 * experiment runs without privacy.
 */
export function latestEpsilon(records: readonly RoundRecord[]): number | null {
  for (let i = records.length - 1; i >= 0; i--) {
    const e = records[i]!.epsilon;
    if (e !== undefined) return e;
  }
  return null;
}

/** Reads the admin token from a location fragment such as `#token=abc` (null: none given). */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token === null || token === '' ? null : token;
}

/**
 * Renders JSON-like data as indented YAML-style lines (`key: value`, nested mappings indented,
 * short scalar arrays inline), for showing the experiment config.
 */
export function configLines(value: unknown, indent = 0): string[] {
  const pad = '  '.repeat(indent);
  if (value === null || typeof value !== 'object') return [`${pad}${scalar(value)}`];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object'))
      return [`${pad}[${value.map(scalar).join(', ')}]`];
    return value.flatMap((v) => {
      const [first = '', ...rest] = configLines(v, indent + 1);
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  const lines: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (v !== null && typeof v === 'object' && !(Array.isArray(v) && v.every((x) => typeof x !== 'object'))) {
      if (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0) {
        lines.push(`${pad}${k}: ${Array.isArray(v) ? '[]' : '{}'}`);
      } else {
        lines.push(`${pad}${k}:`, ...configLines(v, indent + 1));
      }
    } else {
      lines.push(`${pad}${k}: ${configLines(v, 0)[0]}`);
    }
  }
  return lines;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return /^[\w.:/+()=,-]+$/.test(v) && v !== '' ? v : JSON.stringify(v);
  return String(v);
}
