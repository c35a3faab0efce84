import { Injectable } from '@nestjs/common';
import { CAPS } from '@fedzip/protocol';
import { checkJoinToken, isSignedJoinToken, joinTokenExperiment } from '../auth/join-token.js';
import { secretMatches } from '../auth/secret-compare.js';
import { SessionEvents } from '../events/session-events.js';
import type { ExperimentRuntime } from './experiment-runtime.js';

/** Whether a join token admits, and to which experiment. */
export type Admission =
  | { readonly ok: true; readonly runtime: ExperimentRuntime }
  | { readonly ok: false; readonly reason: string };

/**
 * The experiments a coordinator process hosts, by id, and which one a join token admits to.
 * An experiment with neither a shared join token nor a signing secret admits any token, but only
 * while it is the only one hosted: with several, a client could not be routed.
 */
@Injectable()
export class ExperimentHost {
  /** Refusals of the clients' gateway (before a frame reaches an experiment), for logs and metrics. */
  readonly sessions = new SessionEvents();
  private readonly byId = new Map<string, ExperimentRuntime>();
  private readonly listeners = new Set<(runtime: ExperimentRuntime) => void>();
  private readiness: { promise: Promise<void>; resolve: () => void } | null = null;

  /**
   * Holds joins back until {@link ready}: a restarting coordinator listens (for health checks)
   * before it has restored its experiments, and a client reconnecting in between must wait for
   * its experiment, not be told its token is unknown.
   */
  holdJoins(): void {
    if (this.readiness) return;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.readiness = { promise, resolve };
  }

  /** Lets held joins through (see {@link holdJoins}). */
  ready(): void {
    this.readiness?.resolve();
    this.readiness = null;
  }

  /** Whether joins are held back. */
  get holding(): boolean {
    return this.readiness !== null;
  }

  /** Resolves when joins are no longer held back. */
  whenReady(): Promise<void> {
    return this.readiness?.promise ?? Promise.resolve();
  }

  /** Adds an experiment. @throws Error when the id is taken. */
  add(runtime: ExperimentRuntime): void {
    if (this.byId.has(runtime.id)) throw new Error(`experiment ${runtime.id} is already hosted`);
    this.byId.set(runtime.id, runtime);
    for (const fn of [...this.listeners]) fn(runtime);
  }

  get(id: string): ExperimentRuntime | undefined {
    return this.byId.get(id);
  }

  list(): ExperimentRuntime[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  /** Removes an experiment (its clients should have been told and disconnected first). */
  remove(id: string): boolean {
    return this.byId.delete(id);
  }

  /**
   * The experiment `token` admits `clientId` to. A signed token (`fz1.…`, see `join-token.ts`)
   * is checked against its experiment's secret, expiry and client binding; any other token is
   * compared with the experiments' shared tokens.
   */
  admit(token: string, clientId: string | null, nowMs = Date.now()): Admission {
    if (isSignedJoinToken(token)) {
      const id = joinTokenExperiment(token);
      const x = id === undefined ? undefined : this.byId.get(id);
      if (!x?.setup.joinSecret)
        return { ok: false, reason: 'the join token is not valid for any experiment' };
      const check = checkJoinToken(token, x.setup.joinSecret, clientId, Math.floor(nowMs / 1000));
      return check.ok ? { ok: true, runtime: x } : { ok: false, reason: check.reason };
    }
    let open: ExperimentRuntime | undefined;
    for (const r of this.byId.values()) {
      if (r.setup.joinToken === '') {
        // No shared token: open to anyone only when it has no signed tokens either (tests, demos).
        if (!r.setup.joinSecret) open = r;
      } else if (secretMatches(r.setup.joinToken, token, CAPS.tokenChars)) return { ok: true, runtime: r };
    }
    if (open && this.byId.size === 1) return { ok: true, runtime: open };
    return { ok: false, reason: 'the join token is not valid for any experiment' };
  }

  /** Calls `fn` for every experiment added from now on, and for those already hosted. */
  onAdded(fn: (runtime: ExperimentRuntime) => void): () => void {
    for (const r of this.byId.values()) fn(r);
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
