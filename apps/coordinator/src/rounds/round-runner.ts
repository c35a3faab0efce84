import { RoundCollector, type FitFailure, type Strategy, createStrategy } from '@fedzip/aggregation';
import { Xoshiro128, asEncoded, mixSeed } from '@fedzip/codec';
import type { ExperimentConfig } from '@fedzip/config';
import type { ClientRegistry, ClientSession } from '../clients/client-registry.js';
import type { Messenger } from '../clients/messenger.js';
import type { ExperimentEvents, RoundRecord } from '../events/experiment-events.js';
import { DownlinkState } from '../model/downlink.js';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import type { RunOptions, RunState } from '../setup/run-options.js';
import { strategyConfig } from '../setup/strategy-config.js';
import type { Clock } from './clock.js';
import { PrivacyBudget } from './privacy-budget.js';
import { type CloseReason, Round } from './round.js';
import type { UpdateIntake } from './update-intake.js';

/** The end of an experiment. */
export interface ExperimentSummary {
  readonly status: 'completed' | 'failed';
  readonly reason?: string;
  readonly rounds: number;
  readonly finalAccuracy: number | null;
  readonly finalLoss: number | null;
  readonly records: readonly RoundRecord[];
  readonly weights: Float32Array;
  readonly version: number;
}

/** Where the experiment loop is (see {@link RoundRunner.phase}). */
export type LoopPhase = 'idle' | 'running' | 'finished' | 'crashed';

/** The open round and what is collected for it. */
export interface OpenRound {
  readonly index: number;
  readonly attempt: number;
  readonly round: Round;
  readonly collector: RoundCollector;
  readonly failures: FitFailure[];
  readonly rejected: Record<string, number>;
  readonly trainLosses: number[];
  uplinkBytes: number;
  reported: number;
}

/**
 * The experiment loop: wait for clients, select, sync models and assign, collect updates into a
 * streaming sum until the round can close (everyone reported or dropped; or the deadline with at
 * least `minResults`), retry a failed round up to `maxRetries`, aggregate, publish the next model
 * version, evaluate, and go on. Time comes from an injected {@link Clock}.
 */
export class RoundRunner {
  private readonly config: ExperimentConfig;
  private readonly strategy: Strategy;
  /** Differential privacy: the strategy wrapper, the `assign` field and ε per round. */
  readonly privacy: PrivacyBudget;
  private readonly rng: Xoshiro128;
  readonly downlink: DownlinkState;
  private global: Float32Array;
  private open: OpenRound | null = null;
  private roundSeq = 0;
  private wake: (() => void) | null = null;
  private stopped = false;
  private paused = false;
  private suspended = false;
  private ended = false;
  private loopPhase: LoopPhase = 'idle';
  private crashError: unknown = undefined;

  constructor(
    private readonly setup: ExperimentSetup,
    private readonly clock: Clock,
    private readonly options: RunOptions,
    private readonly registry: ClientRegistry,
    private readonly messenger: Messenger,
    private readonly events: ExperimentEvents,
    private readonly intake: UpdateIntake,
  ) {
    this.config = setup.config;
    this.privacy = new PrivacyBudget(setup.config);
    this.strategy = this.privacy.wrap(createStrategy(strategyConfig(setup.config)));
    const { downlink, downlinkFull } = setup.config.compression;
    const resume = options.resume?.state;
    if (resume) {
      this.rng = Xoshiro128.fromState(resume.rng);
      this.global = Float32Array.from(resume.global);
      this.strategy.importState(resume.strategy);
      this.downlink = DownlinkState.restore(
        resume.clientView,
        resume.version,
        downlink,
        downlinkFull,
        setup.config.seed,
      );
      // Skip past the ids the interrupted round may have used: a late update from before the
      // restart must not land in a new round.
      this.roundSeq = resume.roundSeq + 1000;
    } else {
      this.rng = new Xoshiro128(setup.config.seed);
      this.global = Float32Array.from(setup.initialWeights);
      const first = setup.initialDownload
        ? asEncoded(setup.initialDownload, { expectedLength: this.global.length })
        : undefined;
      this.downlink = new DownlinkState(this.global, downlink, downlinkFull, first, setup.config.seed);
    }
    registry.onChange(() => this.poke());
  }

  /** Whether the experiment has ended (completed, failed or stopped): no more clients are taken. */
  get finished(): boolean {
    return this.ended;
  }

  /** The round currently collecting updates, if any. */
  get current(): OpenRound | null {
    return this.open;
  }

  /** Wakes the loop to re-check its condition (a client joined, left or reported). */
  poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Stops the loop at the next check; `run` resolves as failed with the reason. */
  stop(): void {
    this.stopped = true;
    this.poke();
  }

  /**
   * Where the experiment loop is: `idle` before {@link run}, `running`, `finished` (completed,
   * failed or stopped: it ended by its own rules) or `crashed` (`run` threw; see {@link crash}).
   */
  get phase(): LoopPhase {
    return this.loopPhase;
  }

  /** The error `run` threw, when {@link phase} is `crashed`. */
  get crash(): unknown {
    return this.crashError;
  }

  /**
   * Stops like {@link stop} but without telling clients the experiment is over: the coordinator
   * is shutting down and will resume the experiment (clients keep reconnecting until then).
   */
  suspend(): void {
    this.suspended = true;
    this.stop();
  }

  /** Lets the open round finish, then opens no other until {@link resume}. */
  pause(): void {
    this.paused = true;
  }

  /** Undoes {@link pause}. */
  resume(): void {
    this.paused = false;
    this.poke();
  }

  /** Whether the loop is paused (it may still be finishing the round it had open). */
  get isPaused(): boolean {
    return this.paused;
  }

  /** The global model now. Do not mutate. */
  get weights(): Float32Array {
    return this.global;
  }

  /** Runs every round of the experiment. */
  async run(): Promise<ExperimentSummary> {
    this.loopPhase = 'running';
    try {
      const summary = await this.runRounds();
      this.loopPhase = 'finished';
      return summary;
    } catch (e) {
      this.loopPhase = 'crashed';
      this.crashError = e;
      throw e;
    }
  }

  private async runRounds(): Promise<ExperimentSummary> {
    const resume = this.options.resume;
    const records: RoundRecord[] = [...(resume?.records ?? [])];
    const evaluated = records.filter((r) => r.status === 'completed' && r.accuracy !== null).pop();
    let last: { accuracy: number | null; loss: number | null } = evaluated
      ? { accuracy: evaluated.accuracy, loss: evaluated.loss }
      : { accuracy: null, loss: null };
    const cfg = this.config.clients;
    await this.until(() => this.registry.size >= this.options.startWhen || this.stopped);
    for (let index = (resume?.state.round ?? 0) + 1; index <= this.config.rounds; index++) {
      let attempt = 0;
      for (;;) {
        await this.until(() => !this.paused || this.stopped);
        if (this.stopped) return this.finish(records, 'failed', 'stopped', last);
        attempt++;
        await this.until(() => this.registry.size >= cfg.minAvailable || this.stopped);
        if (this.stopped) return this.finish(records, 'failed', 'stopped', last);
        const outcome = await this.playRound(index, attempt);
        if (outcome.record.status === 'completed') {
          try {
            this.options.onCommit?.({ record: outcome.record, state: this.snapshot(index) });
          } catch (e) {
            records.push(outcome.record);
            this.events.emit('round-closed', outcome.record);
            const why = e instanceof Error ? e.message : String(e);
            return this.finish(records, 'failed', `cannot checkpoint round ${index}: ${why}`, last);
          }
        }
        // Every attempt is recorded: a failed one still moved bytes both ways.
        records.push(outcome.record);
        if (outcome.record.status === 'completed') {
          if (outcome.record.accuracy !== null)
            last = { accuracy: outcome.record.accuracy, loss: outcome.record.loss };
          this.events.emit('round-closed', outcome.record);
          break;
        }
        this.events.emit('round-closed', outcome.record); // logged as a warning by the event log
        if (attempt > cfg.maxRetries) {
          return this.finish(
            records,
            'failed',
            `round ${index} failed ${attempt} times: ${outcome.record.reason}`,
            last,
          );
        }
      }
    }
    return this.finish(records, 'completed', undefined, last);
  }

  private finish(
    records: RoundRecord[],
    status: 'completed' | 'failed',
    reason: string | undefined,
    last: { accuracy: number | null; loss: number | null },
  ): ExperimentSummary {
    const rounds = records.filter((r) => r.status === 'completed').length;
    this.ended = true;
    // Tell every client the experiment is over (fatal: they close), so devices exit instead of
    // reconnecting forever. The coordinator's close() gives them a moment to leave first.
    for (const id of this.suspended ? [] : this.registry.ids()) {
      const session = this.registry.get(id)!;
      this.messenger.send(session, 'error', {
        code: 'NOT_ACCEPTING',
        message: `the experiment has ${status === 'completed' ? 'finished' : 'failed'}`,
        event: null,
        fatal: true,
      });
    }
    this.events.emit('finished', { rounds, status, ...(reason === undefined ? {} : { reason }) });
    return {
      status,
      ...(reason === undefined ? {} : { reason }),
      rounds,
      finalAccuracy: last.accuracy,
      finalLoss: last.loss,
      records,
      weights: this.global,
      version: this.downlink.version,
    };
  }

  /** One attempt at round `index`. */
  private async playRound(index: number, attempt: number): Promise<{ record: RoundRecord }> {
    const started = this.clock.now();
    const selected = this.strategy.configureRound(index, this.registry.ids(), this.rng);
    const roundId = ++this.roundSeq;
    const version = this.downlink.version;
    const round = new Round(roundId, version, new Set(selected), started, {
      minResults: this.config.clients.minResults,
      deadlineMs: this.config.clients.deadlineSeconds * 1000,
    });
    const open: OpenRound = {
      index,
      attempt,
      round,
      collector: RoundCollector.for(this.strategy, this.global.length),
      failures: [],
      rejected: {},
      trainLosses: [],
      uplinkBytes: 0,
      reported: 0,
    };
    this.open = open;
    this.events.emit('round-opened', { round: index, roundId, attempt, selected: selected.length, version });
    for (const id of selected) {
      const session = this.registry.get(id);
      if (session) this.assign(session, open);
      else round.drop(id);
    }
    // Timers may fire a little early (or the wall clock may step back): once this one fired, the
    // deadline has passed whatever now() says, or the round could stay open for good.
    let deadlineHit = false;
    const timer = this.clock.setTimeout(() => {
      deadlineHit = true;
      this.poke();
    }, round.rules.deadlineMs);
    let reason: CloseReason | null = null;
    const now = () => (deadlineHit ? Math.max(this.clock.now(), round.deadline) : this.clock.now());
    await this.until(() => (reason = round.closeReason(now())) !== null || this.stopped);
    this.clock.clearTimeout(timer);
    round.close(this.clock.now());
    this.open = null;
    for (const id of round.droppedIds) open.failures.push({ clientId: id, code: 'DROPPED' });

    let status: RoundRecord['status'] = 'failed';
    let failure: string | undefined = this.stopped
      ? 'stopped'
      : reason === 'too-few-results'
        ? `only ${round.acceptedCount} of ${round.rules.minResults} required updates`
        : undefined;
    let aggregateMs = 0;
    let evaluation: { accuracy: number; loss: number } | null = null;
    if (failure === undefined) {
      const t0 = performance.now();
      const next = this.strategy.aggregate(index, this.global, open.collector.results(), open.failures);
      aggregateMs = performance.now() - t0;
      if (next === null) failure = 'the strategy produced no model';
      else {
        status = 'completed';
        // Evaluated before it is published: the caller checkpoints it (with its accuracy) before
        // any client can receive it.
        if (
          this.setup.evaluate &&
          (index % this.config.evaluation.every === 0 || index === this.config.rounds)
        ) {
          evaluation = await this.setup.evaluate(next);
        }
        this.global = next;
        this.downlink.publish(next);
      }
    }
    const down = this.messenger.takeDownlink();
    const n = this.global.length;
    const losses = open.trainLosses;
    return {
      record: {
        round: index,
        version: this.downlink.version,
        status,
        ...(failure === undefined ? {} : { reason: failure }),
        attempts: attempt,
        selected: selected.length,
        reported: open.reported,
        accepted: round.acceptedCount,
        dropped: round.droppedIds.length,
        rejected: open.rejected,
        uplinkBytes: open.uplinkBytes,
        denseUplinkBytes: 4 * n * open.reported,
        downlinkBytes: down.bytes,
        denseDownlinkBytes: down.denseBytes,
        aggregateMs,
        roundMs: this.clock.now() - started,
        accuracy: evaluation?.accuracy ?? null,
        loss: evaluation?.loss ?? null,
        meanTrainLoss: losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : null,
        ...this.privacy.recordField(status === 'completed' ? index : index - 1),
      },
    };
  }

  /** What a restart needs to continue after round `index` (copies). */
  private snapshot(index: number): RunState {
    return {
      round: index,
      version: this.downlink.version,
      roundSeq: this.roundSeq,
      global: Float32Array.from(this.global),
      clientView: Float32Array.from(this.downlink.view),
      strategy: this.strategy.exportState(),
      rng: this.rng.state(),
    };
  }

  /** Syncs the client's model and sends its assignment for the open round. */
  assign(session: ClientSession, open: OpenRound): void {
    const t = this.config.training;
    this.messenger.syncModel(session, this.downlink);
    this.messenger.send(session, 'assign', {
      roundId: open.round.id,
      modelVersion: open.round.modelVersion,
      localEpochs: t.epochs,
      batchSize: t.batchSize,
      lr: t.lr,
      optimizer: t.optimizer,
      proxMu: t.fedproxMu,
      codec: this.config.compression.uplink,
      errorFeedback: this.config.compression.errorFeedback,
      deadline: open.round.deadline,
      seed: mixSeed((this.config.seed ^ Math.imul(open.index, 0x9e3779b1) ^ hashId(session.clientId)) >>> 0),
      ...this.privacy.assignField(),
    });
  }

  /** A client (re)joined: bring it up to date, and re-assign it if it is owed work this round. */
  onJoined(session: ClientSession): void {
    const open = this.open;
    if (open && open.round.awaiting(session.clientId)) {
      open.round.rejoin(session.clientId);
      this.assign(session, open);
    } else {
      this.messenger.syncModel(session, this.downlink);
    }
  }

  /** A client left: if it owed an update this round, it dropped. */
  onLeft(clientId: string): void {
    this.open?.round.drop(clientId);
    this.poke();
  }

  /** Handles an update frame from a joined client (see {@link UpdateIntake}). */
  onUpdate(session: ClientSession, frame: unknown): void {
    this.intake.handle(session, frame, this.open);
    this.poke();
  }

  /** Resolves when `cond()` holds, re-checking whenever the loop is poked. */
  private async until(cond: () => boolean): Promise<void> {
    while (!cond()) await new Promise<void>((resolve) => (this.wake = resolve));
  }
}

/** FNV-1a of a client id, so assignment seeds differ per client. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
