import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ExperimentConfig } from '@fedzip/config';
import { type ExperimentSecrets, type Store, type StoredExperiment, weightsSha256 } from '@fedzip/store';
import type { ExperimentDetail, ExperimentListItem, ExperimentStatus } from '../api/experiment-views.js';
import { issueJoinToken, newJoinSecret } from '../auth/join-token.js';
import type { RoundRecord } from '../events/experiment-events.js';
import { ExperimentHost } from '../experiments/experiment-host.js';
import { ExperimentRuntime } from '../experiments/experiment-runtime.js';
import { renderReportHtml } from '../report/report-html.js';
import type { Clock } from '../rounds/clock.js';
import type { ExperimentSummary } from '../rounds/round-runner.js';
import type { RunOptions } from '../setup/run-options.js';
import { CLOCK } from '../setup/tokens.js';
import { checkpointOf, runStateOf } from './run-state-codec.js';
import {
  SERVICE_OPTIONS,
  SETUP_FACTORY,
  STORE,
  type ServiceOptions,
  type SetupFactory,
} from './service-tokens.js';

/** A request the service refuses; the REST layer maps `kind` to an HTTP status. */
export class ServiceError extends Error {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'bad-request',
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** What the service keeps about an experiment besides the store. */
interface Live {
  runtime: ExperimentRuntime | null;
  preparing: Promise<void> | null;
  summary: Promise<ExperimentSummary> | null;
}

const FINAL: readonly ExperimentStatus[] = ['completed', 'failed', 'stopped'];
/** Statuses a restart picks up again. */
const UNFINISHED: readonly ExperimentStatus[] = ['preparing', 'running', 'paused'];

/**
 * Experiments as a service: create from a config, start, pause, resume, stop, and inspect them;
 * every completed round is checkpointed in the store before clients can see its model, so a
 * coordinator killed mid-round continues after its last completed round when it starts again
 * ({@link restoreUnfinished}), with the same model bit for bit.
 */
@Injectable()
export class ExperimentService implements OnApplicationShutdown {
  private readonly log = new Logger('ExperimentService');
  private readonly live = new Map<string, Live>();

  constructor(
    private readonly host: ExperimentHost,
    @Inject(STORE) private readonly store: Store,
    @Inject(SETUP_FACTORY) private readonly factory: SetupFactory,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_OPTIONS) private readonly options: ServiceOptions,
  ) {}

  /** Stores a new experiment (status `created`); `start` runs it. */
  create(config: ExperimentConfig, options: { joinToken?: string } = {}): ExperimentDetail {
    const id = `${config.name}-${randomBytes(3).toString('hex')}`;
    this.store.experiments.create({
      id,
      name: config.name,
      config,
      secrets: { joinSecret: newJoinSecret(), joinToken: options.joinToken ?? '' },
    });
    return this.detail(id);
  }

  /** The stored experiment whose config equals `config` and which has not finished, if any. */
  findUnfinished(config: ExperimentConfig): string | undefined {
    const json = JSON.stringify(config);
    return this.store.experiments
      .list<ExperimentConfig>()
      .find((e) => !FINAL.includes(e.status) && JSON.stringify(e.config) === json)?.id;
  }

  /**
   * Prepares the setup and runs the rounds, from the latest valid checkpoint when there is one.
   * Resolves once the experiment is running (preparing can take minutes: training the student).
   */
  async start(id: string): Promise<ExperimentDetail> {
    const stored = this.require(id);
    const live = this.liveOf(id);
    if (live.runtime || live.preparing)
      throw new ServiceError('conflict', `experiment ${id} is already ${stored.status}`);
    if (FINAL.includes(stored.status) && stored.status !== 'stopped') {
      throw new ServiceError('conflict', `experiment ${id} has ${stored.status}`);
    }
    const wasPaused = stored.status === 'paused';
    this.store.experiments.setStatus(id, 'preparing');
    live.preparing = this.launch(stored, wasPaused).finally(() => (live.preparing = null));
    await live.preparing;
    return this.detail(id);
  }

  private async launch(stored: StoredExperiment<ExperimentConfig>, paused: boolean): Promise<void> {
    const id = stored.id;
    const config = stored.config;
    try {
      const secrets = this.secretsOf(id);
      const setup = await this.factory(config, { id, ...secrets });
      const { checkpoint, corrupt } = this.store.checkpoints.latestValid(id);
      for (const c of corrupt)
        this.log.warn(`experiment ${id}: skipped checkpoint of round ${c.round}: ${c.reason}`);
      let resume: RunOptions['resume'];
      if (checkpoint) {
        // Attempts recorded after the checkpoint belong to the round the crash interrupted.
        this.store.rewind(id, checkpoint.round);
        const records = this.store.rounds.list<RoundRecord & { round: number }>(id).map((r) => r.record);
        resume = { state: runStateOf(checkpoint), records };
        this.log.log(
          `experiment ${id}: resuming after round ${checkpoint.round} (sha256 ${checkpoint.sha256})`,
        );
      } else {
        this.store.rewind(id, 0);
      }
      const runtime = new ExperimentRuntime(setup, this.clock, {
        startWhen: this.options.startWhen?.(config) ?? config.clients.minAvailable,
        ...(resume ? { resume } : {}),
        onCommit: (commit) =>
          this.store.transaction(() => {
            this.store.rounds.record(id, commit.record);
            this.store.checkpoints.save(checkpointOf(id, commit));
          }),
      });
      this.record(runtime);
      if (paused) runtime.runner.pause();
      this.host.add(runtime);
      const live = this.liveOf(id);
      live.runtime = runtime;
      this.store.experiments.setStatus(id, paused ? 'paused' : 'running');
      live.summary = runtime.run().then((summary) => {
        const stopped = summary.status === 'failed' && summary.reason === 'stopped';
        const status: ExperimentStatus =
          summary.status === 'completed' ? 'completed' : stopped ? 'stopped' : 'failed';
        if (!this.closing) this.store.experiments.setStatus(id, status, summary.reason);
        return summary;
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.store.experiments.setStatus(id, 'failed', `could not start: ${why}`);
      throw e;
    }
  }

  /** Failed attempts and submissions go to the store as they happen (completed rounds via onCommit). */
  private record(runtime: ExperimentRuntime): void {
    const id = runtime.id;
    // The attempt a submission belongs to: the open one (the events are emitted while it is
    // open). Without it, the updates of a failed attempt and of its retry would be stored as one
    // attempt, and a client accepted in both would look counted twice.
    const attemptOf = (round: number): number => {
      const open = runtime.runner.current;
      return open !== null && open.index === round ? open.attempt : 1;
    };
    runtime.events.on('round-closed', (r) => {
      if (r.status === 'failed' && !this.closing) this.store.rounds.record(id, r);
    });
    runtime.events.on('update-accepted', (e) =>
      this.store.submissions.record({
        experimentId: id,
        round: e.round,
        attempt: attemptOf(e.round),
        clientId: e.clientId,
        accepted: true,
        bytes: e.bytes,
      }),
    );
    runtime.events.on('update-rejected', (e) =>
      this.store.submissions.record({
        experimentId: id,
        round: e.round,
        attempt: attemptOf(e.round),
        clientId: e.clientId,
        accepted: false,
        code: e.code,
        reason: e.reason,
        bytes: 0,
      }),
    );
  }

  /** Finishes the open round, then opens no other until {@link resume}. */
  pause(id: string): ExperimentDetail {
    const runtime = this.running(id);
    runtime.runner.pause();
    this.store.experiments.setStatus(id, 'paused');
    return this.detail(id);
  }

  resume(id: string): ExperimentDetail {
    const runtime = this.running(id);
    runtime.runner.resume();
    this.store.experiments.setStatus(id, 'running');
    return this.detail(id);
  }

  /** Stops after the open round is abandoned; the experiment can be started again later. */
  async stop(id: string): Promise<ExperimentDetail> {
    const runtime = this.running(id);
    runtime.runner.stop();
    await this.liveOf(id).summary;
    return this.detail(id);
  }

  /** Resolves with the experiment's summary when its rounds are over. */
  async finished(id: string): Promise<ExperimentSummary> {
    const live = this.liveOf(id);
    if (live.preparing) await live.preparing;
    if (!live.summary) throw new ServiceError('conflict', `experiment ${id} is not running`);
    return live.summary;
  }

  /** Starts again every experiment a crash or restart interrupted. Returns their ids. */
  async restoreUnfinished(): Promise<string[]> {
    const ids = this.store.experiments
      .list()
      .filter((e) => UNFINISHED.includes(e.status))
      .map((e) => e.id);
    const restored: string[] = [];
    for (const id of ids) {
      try {
        await this.start(id);
        restored.push(id);
      } catch (e) {
        // `start` marked it failed with the reason; the others still come back.
        this.log.error(
          `experiment ${id} could not be resumed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return restored;
  }

  /** A signed join token for the experiment, optionally bound to a client id and expiring. */
  issueToken(id: string, options: { clientId?: string; ttlSeconds?: number } = {}) {
    this.require(id);
    const { joinSecret } = this.secretsOf(id);
    const expiresAt =
      options.ttlSeconds === undefined ? undefined : Math.floor(this.clock.now() / 1000) + options.ttlSeconds;
    const grant = {
      experimentId: id,
      ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
    };
    return { token: issueJoinToken(joinSecret, grant), ...grant };
  }

  list(): ExperimentListItem[] {
    return this.store.experiments.list<ExperimentConfig>().map((e) => this.item(e));
  }

  detail(id: string): ExperimentDetail {
    const stored = this.require(id);
    const runtime = this.liveOf(id).runtime;
    const rounds = this.store.rounds.list<RoundRecord & { round: number }>(id).map((r) => r.record);
    const done = rounds.filter((r) => r.status === 'completed');
    const evaluated = done.filter((r) => r.accuracy !== null).pop();
    const sum = (f: (r: RoundRecord) => number) => rounds.reduce((a, r) => a + f(r), 0);
    const up = sum((r) => r.uplinkBytes);
    const denseUp = sum((r) => r.denseUplinkBytes);
    const down = sum((r) => r.downlinkBytes);
    const denseDown = sum((r) => r.denseDownlinkBytes);
    let modelVersion = 0;
    let modelSha256: string | null = null;
    if (runtime) {
      modelVersion = runtime.runner.downlink.version;
      modelSha256 = weightsSha256(runtime.runner.weights);
    } else {
      const c = this.store.checkpoints.list(id).pop();
      if (c) ({ version: modelVersion, sha256: modelSha256 } = c);
    }
    const open = runtime?.runner.current ?? null;
    return {
      ...this.item(stored),
      reason: stored.statusReason,
      modelVersion,
      modelSha256,
      clients: {
        connected: runtime?.registry.size ?? 0,
        selected: open?.round.selected.size ?? 0,
        reported: open?.reported ?? 0,
      },
      metrics: {
        accuracy: evaluated?.accuracy ?? null,
        loss: evaluated?.loss ?? null,
        uplinkBytes: up,
        denseUplinkBytes: denseUp,
        downlinkBytes: down,
        denseDownlinkBytes: denseDown,
        uplinkRatio: up > 0 ? denseUp / up : null,
        downlinkRatio: down > 0 ? denseDown / down : null,
      },
      config: stored.config,
    };
  }

  /** The experiment's report page (`report.html`, self-contained), as far as it has run. */
  report(id: string): string {
    const stored = this.require(id);
    const records = this.store.rounds.list<RoundRecord & { round: number }>(id).map((r) => r.record);
    const done = records.filter((r) => r.status === 'completed');
    const evaluated = done.filter((r) => r.accuracy !== null).pop();
    const status =
      stored.status === 'completed' ? 'completed' : FINAL.includes(stored.status) ? 'failed' : 'running';
    return renderReportHtml({
      experimentId: id,
      config: stored.config,
      status,
      ...(status === 'failed' ? { reason: stored.statusReason ?? stored.status } : {}),
      rounds: done.length,
      finalAccuracy: evaluated?.accuracy ?? null,
      finalLoss: evaluated?.loss ?? null,
      records,
      startedAt: new Date(stored.createdAt),
      finishedAt: new Date(FINAL.includes(stored.status) ? stored.updatedAt : this.clock.now()),
    });
  }

  /** The runtime of a hosted experiment (for the model and report endpoints). */
  runtimeOf(id: string): ExperimentRuntime | null {
    this.require(id);
    return this.liveOf(id).runtime;
  }

  private closing = false;

  /** On shutdown, running experiments stay `running` in the store: the next start resumes them. */
  onApplicationShutdown(): void {
    this.closing = true;
    for (const live of this.live.values()) live.runtime?.runner.suspend();
  }

  private item(e: StoredExperiment<ExperimentConfig>): ExperimentListItem {
    const totals = this.store.rounds.totals(e.id);
    const last = this.store.rounds
      .list<RoundRecord & { round: number }>(e.id)
      .map((r) => r.record)
      .filter((r) => r.status === 'completed' && r.accuracy !== null)
      .pop();
    return {
      id: e.id,
      name: e.name,
      status: e.status,
      round: totals.completed,
      rounds: e.config.rounds,
      accuracy: last?.accuracy ?? null,
      createdAt: new Date(e.createdAt).toISOString(),
    };
  }

  /** The experiment's join secrets (made on first use for an experiment from an older store). */
  private secretsOf(id: string): ExperimentSecrets {
    let s = this.store.experiments.secrets(id);
    if (!s) this.store.experiments.setSecrets(id, (s = { joinSecret: newJoinSecret(), joinToken: '' }));
    return s;
  }

  private require(id: string): StoredExperiment<ExperimentConfig> {
    const e = this.store.experiments.get<ExperimentConfig>(id);
    if (!e) throw new ServiceError('not-found', `no experiment ${id}`);
    return e;
  }

  private running(id: string): ExperimentRuntime {
    this.require(id);
    const runtime = this.liveOf(id).runtime;
    if (!runtime || runtime.runner.finished)
      throw new ServiceError('conflict', `experiment ${id} is not running`);
    return runtime;
  }

  private liveOf(id: string): Live {
    let l = this.live.get(id);
    if (!l) this.live.set(id, (l = { runtime: null, preparing: null, summary: null }));
    return l;
  }
}
