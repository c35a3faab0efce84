/**
 * The read-only admin channel (Socket.IO namespace {@link ADMIN_NAMESPACE}): what the coordinator
 * tells the dashboard. Plain JSON over Socket.IO's default parser (not the msgpack framing of the
 * federation protocol), so these types hold only JSON-safe values. Browser-safe: no Node, no Nest.
 * See docs/dashboard.md.
 */
import type { ADMIN_NAMESPACE } from '../events.js';

/** The record of one completed (or failed) round attempt. */
export interface RoundRecord {
  /** 1-based index of the round in the experiment. */
  readonly round: number;
  /** Model version after the round. */
  readonly version: number;
  readonly status: 'completed' | 'failed';
  /** Why the attempt failed (absent when it completed). */
  readonly reason?: string;
  /** 1-based attempt number of this round index (a failed round is retried). */
  readonly attempts: number;
  /** Clients selected for the round. */
  readonly selected: number;
  /** Updates received (accepted or not). */
  readonly reported: number;
  /** Updates accepted into the aggregate. */
  readonly accepted: number;
  /** Selected clients that left or missed the deadline. */
  readonly dropped: number;
  /** Rejected updates by reject code. */
  readonly rejected: Readonly<Record<string, number>>;
  /** Encoded bytes received from clients. */
  readonly uplinkBytes: number;
  /** What the received updates would have weighed as dense float32. */
  readonly denseUplinkBytes: number;
  /** Encoded model bytes sent to clients. */
  readonly downlinkBytes: number;
  /** What the sent models would have weighed as dense float32. */
  readonly denseDownlinkBytes: number;
  readonly aggregateMs: number;
  readonly roundMs: number;
  /** Server-side test accuracy after the round (null: not evaluated this round). */
  readonly accuracy: number | null;
  /** Server-side test loss after the round (null: not evaluated this round). */
  readonly loss: number | null;
  /** Mean of the clients' reported training losses. */
  readonly meanTrainLoss: number | null;
  /**
   * Differential privacy spent so far: ε at `privacy.delta` after the completed rounds up to this
   * one (RDP accountant, docs/privacy.md). Absent when privacy is off, or ε is infinite (σ = 0).
   */
  readonly epsilon?: number;
}

/** Lifecycle of the experiment as the dashboard sees it. */
export type ExperimentStatus = 'waiting' | 'running' | 'completed' | 'failed';

/** The client counts shown by the dashboard. */
export interface AdminClientCounts {
  /** Clients currently joined. */
  readonly connected: number;
  /** Clients selected for the open round (0 between rounds). */
  readonly selected: number;
  /** Updates received in the open round. */
  readonly reported: number;
  /** Selected clients of the open round that dropped so far. */
  readonly dropped: number;
}

/** The round currently collecting updates. */
export interface AdminOpenRound {
  readonly round: number;
  readonly attempt: number;
  /** Model version the round trains from. */
  readonly version: number;
  /** Epoch milliseconds at which the round closes at the latest. */
  readonly deadline: number;
}

/** Sums over every round attempt so far. */
export interface AdminTotals {
  readonly completedRounds: number;
  readonly failedAttempts: number;
  readonly uplinkBytes: number;
  readonly denseUplinkBytes: number;
  readonly downlinkBytes: number;
  readonly denseDownlinkBytes: number;
}

/** Everything the dashboard needs on connect; events then keep it up to date. */
export interface AdminSnapshot {
  readonly experiment: {
    readonly id: string;
    readonly name: string;
    /** Rounds the experiment is configured to run. */
    readonly rounds: number;
    /** The validated experiment config, as JSON. */
    readonly config: Readonly<Record<string, unknown>>;
  };
  readonly status: ExperimentStatus;
  /** Why the experiment failed, once it did. */
  readonly reason?: string;
  /** The open round, or null between rounds. */
  readonly current: AdminOpenRound | null;
  readonly clients: AdminClientCounts;
  /** Every round attempt so far, oldest first. */
  readonly records: readonly RoundRecord[];
  readonly totals: AdminTotals;
  /** Epoch milliseconds at which the coordinator built this snapshot. */
  readonly serverTime: number;
}

/** Events the coordinator pushes on the admin namespace (one JSON argument each). */
export interface AdminServerToClientEvents {
  /** The full state; sent once right after a successful handshake. */
  snapshot: (snapshot: AdminSnapshot) => void;
  /** A client joined or left. */
  clients: (counts: AdminClientCounts) => void;
  /** A round attempt opened. */
  'round-opened': (open: AdminOpenRound & { readonly selected: number }) => void;
  /** An update was accepted or rejected; the open round's counts changed. */
  progress: (progress: { readonly round: number; readonly clients: AdminClientCounts }) => void;
  /** A round attempt closed (completed or failed). */
  'round-closed': (closed: { readonly record: RoundRecord; readonly totals: AdminTotals }) => void;
  /** The experiment ended. */
  finished: (end: {
    readonly status: 'completed' | 'failed';
    readonly rounds: number;
    readonly reason?: string;
  }) => void;
}

/** The admin channel is read-only: the dashboard sends nothing. */
export type AdminClientToServerEvents = Record<string, never>;

/** Handshake auth payload of the admin namespace: `io(url + '/admin', { auth: { token } })`. */
export interface AdminAuth {
  readonly token: string;
}

/** Connect-error messages of the admin namespace (the `message` of the client's `connect_error`). */
export const AdminConnectError = {
  /** The token was missing or wrong. */
  Unauthorized: 'unauthorized',
  /** Too many admin sockets are open. */
  TooMany: 'too many admin connections',
  /** The handshake named an experiment the coordinator does not host (or it hosts none yet). */
  UnknownExperiment: 'unknown experiment',
} as const;

/** The namespace these types describe (re-exported for convenience). */
export type AdminNamespace = typeof ADMIN_NAMESPACE;

/** Sums the byte counters of `records` into {@link AdminTotals}. */
export function totalsOf(records: readonly RoundRecord[]): AdminTotals {
  let completedRounds = 0;
  let failedAttempts = 0;
  let uplinkBytes = 0;
  let denseUplinkBytes = 0;
  let downlinkBytes = 0;
  let denseDownlinkBytes = 0;
  for (const r of records) {
    if (r.status === 'completed') completedRounds++;
    else failedAttempts++;
    uplinkBytes += r.uplinkBytes;
    denseUplinkBytes += r.denseUplinkBytes;
    downlinkBytes += r.downlinkBytes;
    denseDownlinkBytes += r.denseDownlinkBytes;
  }
  return {
    completedRounds,
    failedAttempts,
    uplinkBytes,
    denseUplinkBytes,
    downlinkBytes,
    denseDownlinkBytes,
  };
}
