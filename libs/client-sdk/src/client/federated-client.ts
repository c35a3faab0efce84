/**
 * `FederatedClient`: the transport-agnostic core of a fedzip device. It joins with a token,
 * receives the model (full, or deltas from the version it holds), trains on local data when
 * assigned, encodes the delta with the assigned codec and error feedback, and submits it,
 * following docs/protocol.md. No Node-only API here: the same core runs in browsers.
 *
 * Behaviours worth knowing:
 * - **Re-join.** Every (re)connection sends `hello` with the version held, so the server sends a
 *   delta from it (or nothing). A delta from a version not held (which should not happen) makes the
 *   client drop its model and reconnect, so that its `hello` states null and a full model follows.
 *   (Reconnecting, rather than a second `hello` on the same connection, which the protocol
 *   answers with `ALREADY_JOINED`.)
 * - **Overlapping assignments**: see `job-queue.ts`. The newest round wins; an abandoned round is
 *   never encoded, so the residual only advances for updates that go out.
 * - **Disconnects during training.** Training goes on; the update is encoded and sent after the
 *   re-join (the server decides whether the round still takes it). A newer assignment replaces it.
 * - **Model persistence** (optional, `modelStore` + `experimentId`). `start()` restores the model
 *   held for the expected experiment before connecting, so the first `hello` states its version;
 *   every version applied afterwards is saved (`model-keeper.ts`).
 * - **Residual.** Kept per (experiment, client) across reconnects, saved to the store after each
 *   update, reset with a logged reason when the model's layout changes (`residual-keeper.ts`). A
 *   rejected update's content is not put back: that is standard error feedback, and a put-back
 *   would let a chronically late client's residual grow without bound.
 */
import { type EncodedTensor, type ResidualMemory } from '@fedzip/codec';
import type { TrainingData } from '@fedzip/model';
import {
  type Capabilities,
  type ClientEventName,
  type DecodeResult,
  type ProtocolLimits,
  type ReceivedOf,
  SERVER_EVENTS,
  type ServerEventName,
  PROTOCOL_VERSION,
  decodeServerMessage,
  encodeMessage,
  frameBytes,
  frameLimit,
  resolveLimits,
} from '@fedzip/protocol';
import { resolveCapabilities } from '../capabilities.js';
import { TypedEmitter } from '../emitter.js';
import { ClientError, type ClientErrorCode, errorMessage } from '../errors.js';
import type { ClientEventMap, ClosedEvent, JoinedEvent, SkipReason } from '../events.js';
import { type Logger, toLogger } from '../logger.js';
import { checkDataFits, parseArchitecture } from '../model/architecture.js';
import { LocalModel } from '../model/local-model.js';
import { ModelKeeper } from '../model/model-keeper.js';
import {
  type TrainedRound,
  codecFor,
  encodeRound,
  evaluateWeights,
  trainRound,
} from '../model/train-round.js';
import { ResidualKeeper } from '../residual/residual-keeper.js';
import { yieldToEventLoop } from '../time.js';
import type { ConnectErrorInfo, DisconnectInfo, Transport } from '../transport/transport.js';
import { type EvalJob, JobQueue, type TrainJob } from './job-queue.js';
import { type FederatedClientOptions, type UpdateTransform, checkOptions } from './options.js';
import { type ClientPhase, type ClientStats, Counters } from './stats.js';

export type { FederatedClientOptions, UpdateTransform, UpdateTransformRound } from './options.js';
export type { ClientPhase, ClientStats } from './stats.js';

interface Session {
  readonly clientId: string;
  readonly experimentId: string;
  readonly limits: ProtocolLimits;
}

/** A trained update waiting to be encoded and sent (it is encoded only when it can go out). */
interface PendingUpdate {
  readonly job: TrainJob;
  readonly trained: TrainedRound;
  readonly local: LocalModel;
  readonly experimentId: string;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Thrown from the batch callback to stop a round's training. */
class Aborted extends Error {}

function asClientError(e: unknown, code: ClientErrorCode, roundId?: number): ClientError {
  if (e instanceof ClientError) return e;
  return new ClientError(code, errorMessage(e), { cause: e, ...(roundId === undefined ? {} : { roundId }) });
}

/** A federated client; see the module comment. Events: {@link ClientEventMap}. */
export class FederatedClient extends TypedEmitter<ClientEventMap> {
  private readonly transport: Transport;
  private readonly token: string;
  private readonly requestedId: string;
  private readonly data: TrainingData;
  private readonly log: Logger;
  private readonly capabilityOverrides: Partial<Capabilities> | undefined;
  private readonly receiveLimits: ProtocolLimits;
  private readonly residuals: ResidualKeeper;
  private readonly models: ModelKeeper;
  private readonly expectedExperiment: string | undefined;
  private readonly transformUpdate: UpdateTransform | undefined;
  private readonly queue = new JobQueue();

  private phaseValue: ClientPhase = 'idle';
  private session: Session | null = null;
  private local: LocalModel | null = null;
  /** The experiment a model restored from the store belongs to, until the first `welcome`. */
  private restoredFrom: string | null = null;
  private readonly retired: LocalModel[] = [];
  private pending: PendingUpdate | null = null;
  private draining: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];
  private resyncing = false;
  /** The model version the last `hello` stated. */
  private helloVersion: number | null = null;
  private connects = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private startWaiter: Deferred<JoinedEvent> | null = null;
  private readonly closed = deferred<ClosedEvent>();

  private readonly counts = new Counters();

  /** @throws {@link ClientError} `BAD_OPTION` for an invalid client id, token or dataset. */
  constructor(options: FederatedClientOptions) {
    const log = toLogger(options.logger);
    super((e, event) => log.error(`a "${String(event)}" listener threw: ${errorMessage(e)}`));
    checkOptions(options);
    this.log = log;
    this.transport = options.transport;
    this.token = options.token;
    this.requestedId = options.clientId;
    this.data = options.data;
    this.capabilityOverrides = options.capabilities;
    this.receiveLimits = resolveLimits(options.receiveLimits);
    this.residuals = new ResidualKeeper(options.residualStore, log, (e) => this.report(e));
    this.models = new ModelKeeper(options.modelStore, log, (e) => this.report(e));
    this.expectedExperiment = options.experimentId;
    this.transformUpdate = options.transformUpdate;
  }

  // ── Life cycle ────────────────────────────────────────────────────────────────────────────────

  /**
   * Restores the stored model (with `modelStore` and `experimentId`), then connects and joins.
   * Resolves on the first `welcome`; rejects with a {@link ClientError} when the client closes
   * first (a fatal server error, a refused connection, {@link stop}). Call once.
   */
  start(): Promise<JoinedEvent> {
    if (this.phaseValue !== 'idle')
      return Promise.reject(new Error('FederatedClient.start() may be called once'));
    this.phaseValue = 'connecting';
    const t = this.transport;
    this.unsubscribe.push(
      t.onConnect(() => this.onConnect()),
      t.onDisconnect((info) => this.onDisconnect(info)),
      ...SERVER_EVENTS.map((event) => t.on(event, (frame) => this.receive(event, frame))),
    );
    if (t.onConnectError) this.unsubscribe.push(t.onConnectError((info) => this.onConnectError(info)));
    this.startWaiter = deferred();
    const started = this.startWaiter.promise;
    void this.restore().then(() => {
      if (this.phaseValue !== 'closed') t.connect();
    });
    return started;
  }

  /** Restores the model stored for the expected experiment, if any (never rejects). */
  private async restore(): Promise<void> {
    const experimentId = this.expectedExperiment;
    if (experimentId === undefined) return;
    const local = await this.models.restore({ experimentId, clientId: this.requestedId }, this.data);
    if (local === null) return;
    if (this.phaseValue === 'closed') {
      local.dispose();
      return;
    }
    this.local = local;
    this.restoredFrom = experimentId;
    this.emit('restored', { experimentId, version: local.version!, modelParams: local.params });
  }

  /**
   * Stops for good: closes the connection, abandons queued and running work (at the next batch),
   * waits for it and for residual saves, and frees the model. Idempotent.
   */
  async stop(): Promise<void> {
    await this.close('stopped by the application', null);
  }

  /**
   * Resolves when no local work is running or runnable and residual saves are done. An assignment
   * waiting for its model version does not count as work.
   */
  async whenIdle(): Promise<void> {
    while (!this.isIdle()) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.residuals.flush();
    await this.models.flush();
  }

  /** Resolves when the client has closed, with why. */
  whenClosed(): Promise<ClosedEvent> {
    return this.closed.promise;
  }

  // ── State ─────────────────────────────────────────────────────────────────────────────────────

  /** Where the client is in its life. */
  get phase(): ClientPhase {
    return this.phaseValue;
  }

  /** The model version held, or null. */
  get modelVersion(): number | null {
    return this.local?.version ?? null;
  }

  /** The session's client id once joined (the server's word), else the one asked for. */
  get clientId(): string {
    return this.session?.clientId ?? this.requestedId;
  }

  /** The experiment joined, or null before the first `welcome`. */
  get experimentId(): string | null {
    return this.session?.experimentId ?? null;
  }

  /** Updates the server acknowledged. */
  get roundsDone(): number {
    return this.counts.roundsDone;
  }

  /** Frame bytes sent. */
  get bytesSent(): number {
    return this.counts.bytesSent;
  }

  /** Frame bytes received. */
  get bytesReceived(): number {
    return this.counts.bytesReceived;
  }

  /** Dense float32 bytes / encoded bytes of the last update sent, or null before the first. */
  get lastCompressionRatio(): number | null {
    return this.counts.lastCompressionRatio;
  }

  /** Whether local work is running. */
  get busy(): boolean {
    return this.queue.running !== null;
  }

  /** A snapshot of the counters. */
  stats(): ClientStats {
    return this.counts.snapshot(this.phaseValue, this.modelVersion, Math.max(0, this.connects - 1));
  }

  /** A copy of the held global weights, or null. */
  globalWeights(): Float32Array | null {
    const w = this.local?.weights;
    return w ? Float32Array.from(w) : null;
  }

  /** A copy of the error-feedback residual, or null before the first join. */
  residual(): Float32Array | null {
    const m = this.residuals.memory;
    return m ? Float32Array.from(m.residual) : null;
  }

  // ── Transport events ──────────────────────────────────────────────────────────────────────────

  private onConnect(): void {
    if (this.phaseValue === 'closed') return;
    this.connects++;
    if (this.connects > 1) this.emit('reconnected', { reconnects: this.connects - 1 });
    this.phaseValue = 'joining';
    const modelVersion = this.local?.version ?? null;
    this.helloVersion = modelVersion;
    this.log.debug(`connected; hello with model version ${modelVersion ?? 'none'}`);
    this.sendFrame(
      'hello',
      encodeMessage('hello', {
        protocolVersion: PROTOCOL_VERSION,
        token: this.token,
        clientId: this.requestedId,
        modelVersion,
        capabilities: resolveCapabilities(this.capabilityOverrides, this.receiveLimits),
      }),
    );
  }

  private onDisconnect(info: DisconnectInfo): void {
    if (this.phaseValue === 'closed') return;
    this.phaseValue = 'connecting';
    this.emit('disconnected', { reason: info.reason, willReconnect: info.willReconnect });
    if (this.resyncing) {
      this.resyncing = false;
      // Outside the transport's own disconnect handling.
      setTimeout(() => {
        if (this.phaseValue !== 'closed') this.transport.connect();
      }, 0);
      return;
    }
    this.log.warn(`disconnected (${info.reason})${info.willReconnect ? '; reconnecting' : ''}`);
    if (!info.willReconnect)
      void this.close(`the connection ended (${info.reason}) and will not reconnect`, null);
  }

  private onConnectError(info: ConnectErrorInfo): void {
    if (this.phaseValue === 'closed') return;
    this.report(
      new ClientError(
        'CONNECT_FAILED',
        `cannot connect: ${info.message}${info.willRetry ? '; retrying' : ''}`,
        {
          fatal: !info.willRetry,
        },
      ),
    );
  }

  private receive(event: ServerEventName, frame: unknown): void {
    const bytes = frameBytes(frame)?.byteLength ?? 0;
    this.counts.received(event, bytes);
    if (this.phaseValue === 'closed') return;
    const r = decodeServerMessage(event, frame, this.receiveLimits);
    if (!r.ok) {
      this.report(
        new ClientError('BAD_MESSAGE', `refused the server's "${event}": ${r.reason}`, {
          fatal: r.code === 'BAD_VERSION',
          remoteCode: r.code,
          event,
        }),
      );
      return;
    }
    try {
      this.dispatch(r, bytes);
    } catch (e) {
      this.report(asClientError(e, 'BAD_MESSAGE'));
    }
  }

  private dispatch(r: Extract<DecodeResult<ServerEventName>, { ok: true }>, bytes: number): void {
    if (r.event === 'welcome') return this.onWelcome(r.msg);
    if (r.event === 'error') return this.onServerError(r.msg);
    if (this.phaseValue !== 'joined' || this.local === null) {
      this.log.warn(`ignored "${r.event}" before the join was accepted`);
      return;
    }
    switch (r.event) {
      case 'model':
        return this.onModel(this.local, r.msg, bytes);
      case 'assign':
        return this.onAssign(this.local, r.msg);
      case 'ack':
        this.counts.roundsDone++;
        this.log.info(`round ${r.msg.roundId}: update accepted`);
        return this.emit('ack', { roundId: r.msg.roundId });
      case 'reject':
        this.counts.updatesRejected++;
        this.log.warn(`round ${r.msg.roundId}: update rejected, ${r.msg.code}: ${r.msg.message}`);
        return this.emit('reject', { roundId: r.msg.roundId, code: r.msg.code, message: r.msg.message });
      case 'eval-request':
        return this.onEvalRequest(this.local, r.msg);
    }
  }

  // ── Protocol messages ─────────────────────────────────────────────────────────────────────────

  private onWelcome(msg: ReceivedOf<'welcome'>): void {
    if (this.phaseValue !== 'joining') {
      this.log.warn('ignored a "welcome" outside a join');
      return;
    }
    const arch = parseArchitecture(msg.architecture);
    checkDataFits(arch, this.data);
    const previous = this.session;
    // The experiment the held model belongs to: the last session's, or the restored model's.
    const heldFrom = previous?.experimentId ?? this.restoredFrom;
    this.restoredFrom = null;
    const experimentChanged = heldFrom !== null && heldFrom !== msg.experimentId;
    if (this.local === null || this.local.architecture.canonical !== arch.canonical) {
      if (this.local !== null) {
        this.log.warn("the experiment's model architecture changed: dropping the held model and local work");
        this.retire(this.local);
        this.dropWork('model-changed', experimentChanged);
      }
      this.local = LocalModel.build(arch);
    } else if (experimentChanged) {
      // Version numbers of two experiments are unrelated: a delta "from version v" would be wrong.
      this.log.warn(`joined experiment ${msg.experimentId} after ${heldFrom}: dropping the held model`);
      this.local.drop();
      this.dropWork('model-changed', true);
    }
    const local = this.local;
    this.session = { clientId: msg.clientId, experimentId: msg.experimentId, limits: msg.limits };
    void this.residuals.bind(
      { experimentId: msg.experimentId, clientId: msg.clientId },
      local.fingerprint,
      local.params,
    );
    this.phaseValue = 'joined';
    const joined: JoinedEvent = {
      clientId: msg.clientId,
      experimentId: msg.experimentId,
      modelVersion: local.version,
      modelParams: local.params,
      limits: msg.limits,
      rejoin: previous !== null,
    };
    this.log.info(
      `${joined.rejoin ? 're-joined' : 'joined'} experiment ${msg.experimentId} as ${msg.clientId} ` +
        `(${local.params} parameters, holding version ${local.version ?? 'none'})`,
    );
    this.emit('joined', joined);
    this.startWaiter?.resolve(joined);
    this.startWaiter = null;
    if (this.helloVersion !== null && local.version === null) {
      // The hello claimed a version just dropped: the server would send a delta or nothing.
      this.log.info('re-joining for a full model');
      this.resync();
    } else if (this.pending !== null) {
      void this.flushPending();
    }
  }

  private onServerError(msg: ReceivedOf<'error'>): void {
    this.report(
      new ClientError('SERVER_ERROR', `server error ${msg.code}: ${msg.message}`, {
        fatal: msg.fatal,
        remoteCode: msg.code,
        event: msg.event,
      }),
    );
  }

  private onModel(local: LocalModel, msg: ReceivedOf<'model'>, bytes: number): void {
    let result;
    try {
      result = local.apply(msg);
    } catch (e) {
      // A delta that cannot be read leaves this client behind the server's idea of it: resync.
      if (e instanceof ClientError && e.code === 'BAD_MODEL' && msg.baseVersion !== null) {
        this.report(e);
        this.resync();
        return;
      }
      throw e;
    }
    if (result.kind === 'unknown-base') {
      this.log.warn(
        `model version ${msg.version} is a delta from version ${result.baseVersion}, but this client ` +
          `holds ${result.held ?? 'none'}: dropping the model and re-joining for a full one`,
      );
      this.resync();
      return;
    }
    this.counts.modelsReceived++;
    this.log.info(`model version ${result.version} (${result.kind}, ${bytes} B)`);
    const session = this.session!;
    this.models.save({ experimentId: session.experimentId, clientId: session.clientId }, local);
    this.emit('model', {
      version: result.version,
      kind: result.kind,
      baseVersion: msg.baseVersion,
      bytes,
      denseBytes: 4 * local.params,
    });
    const dropped = this.queue.onModel(result.version, local.weights!);
    if (dropped) this.skip(dropped.assign.roundId, 'no-model');
    this.pump();
  }

  private onAssign(local: LocalModel, a: ReceivedOf<'assign'>): void {
    this.emit('assigned', {
      roundId: a.roundId,
      modelVersion: a.modelVersion,
      localEpochs: a.localEpochs,
      batchSize: a.batchSize,
      codec: a.codec,
      errorFeedback: a.errorFeedback,
      deadline: a.deadline,
    });
    const offer = this.queue.offerAssign(a, local.weightsOf(a.modelVersion));
    if (!offer.accepted) {
      this.log.info(`ignored the assignment of round ${a.roundId}: ${offer.reason}`);
      this.skip(a.roundId, offer.reason);
      return;
    }
    if (offer.replaced) this.skip(offer.replaced.assign.roundId, 'superseded');
    if (this.pending !== null) {
      this.skip(this.pending.job.assign.roundId, 'superseded');
      this.pending = null;
    }
    if (offer.job.base === null) {
      // Holding a later version already means the base is gone; an earlier one means it may come.
      const dropped = local.version === null ? null : this.queue.onModel(local.version, local.weights!);
      if (dropped) this.skip(dropped.assign.roundId, 'no-model');
      else this.log.info(`round ${a.roundId} waits for model version ${a.modelVersion}`);
    }
    this.pump();
  }

  private onEvalRequest(local: LocalModel, req: ReceivedOf<'eval-request'>): void {
    const base = local.weightsOf(req.modelVersion);
    if (base === null) {
      this.log.warn(`cannot evaluate model version ${req.modelVersion}: holding ${local.version ?? 'none'}`);
      return;
    }
    this.queue.offerEval(req, base);
    this.pump();
  }

  // ── Local work ────────────────────────────────────────────────────────────────────────────────

  private pump(): void {
    if (this.draining !== null || this.phaseValue === 'closed' || !this.queue.hasRunnable()) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      this.pump();
      this.settleIdle();
    });
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.start(); job !== null; job = this.queue.start()) {
      try {
        if (job.kind === 'train') await this.runTrain(job);
        else await this.runEval(job);
      } catch (e) {
        this.report(asClientError(e, 'TRAINING_FAILED'));
      } finally {
        this.queue.finish();
        this.disposeRetired();
      }
      if (this.phaseValue === 'closed') return;
      // Messages that arrived during the job (an assignment, a stop) are handled before the next.
      await yieldToEventLoop();
    }
  }

  private async runTrain(job: TrainJob): Promise<void> {
    const a = job.assign;
    const local = this.local;
    if (job.abort !== null || local === null || job.base === null) {
      this.skip(a.roundId, job.abort ?? 'model-changed');
      return;
    }
    let trained: TrainedRound;
    try {
      codecFor(a.codec, a.roundId); // refuse an unusable spec before spending the training time
      const batchesPerEpoch = Math.ceil(this.data.n / a.batchSize);
      trained = await trainRound(local.network, this.data, a, job.base, (info) => {
        if (job.abort !== null) throw new Aborted();
        this.emit('progress', {
          roundId: a.roundId,
          epoch: info.epoch,
          batch: info.batch,
          epochs: a.localEpochs,
          batchesPerEpoch,
          loss: info.loss,
        });
      });
      if (this.transformUpdate) trained = this.transformed(trained, a.roundId, a.seed);
    } catch (e) {
      if (e instanceof Aborted) {
        this.skip(a.roundId, job.abort ?? 'stopped');
        return;
      }
      this.report(asClientError(e, 'TRAINING_FAILED', a.roundId));
      this.skip(a.roundId, 'failed');
      return;
    }
    this.log.info(
      `round ${a.roundId}: trained ${trained.steps} steps in ${trained.trainMs.toFixed(0)} ms ` +
        `(loss ${trained.loss.toFixed(4)}, accuracy ${trained.accuracy.toFixed(3)})`,
    );
    this.emit('trained', {
      roundId: a.roundId,
      loss: trained.loss,
      accuracy: trained.accuracy,
      steps: trained.steps,
      trainMs: trained.trainMs,
    });
    await yieldToEventLoop();
    if (job.abort !== null) {
      this.skip(a.roundId, job.abort);
      return;
    }
    this.pending = { job, trained, local, experimentId: this.session!.experimentId };
    await this.flushPending();
  }

  /** The trained round with its delta rewritten by the simulation hook `transformUpdate`. */
  private transformed(trained: TrainedRound, roundId: number, seed: number): TrainedRound {
    const delta = this.transformUpdate!(trained.delta, { roundId, seed });
    if (delta.length !== trained.delta.length) {
      throw new ClientError(
        'BAD_OPTION',
        `transformUpdate returned ${delta.length} values for a delta of ${trained.delta.length}`,
        { roundId },
      );
    }
    return { ...trained, delta };
  }

  private async runEval(job: EvalJob): Promise<void> {
    const local = this.local;
    if (local === null) return;
    const req = job.request;
    const r = await evaluateWeights(local.network, this.data, job.base, req.batchSize);
    if (!Number.isFinite(r.loss)) {
      this.report(new ClientError('NON_FINITE', `evaluation of version ${req.modelVersion}: loss ${r.loss}`));
      return;
    }
    const sent = this.sendFrame(
      'eval-result',
      encodeMessage('eval-result', {
        requestId: req.requestId,
        modelVersion: req.modelVersion,
        sampleCount: this.data.n,
        loss: r.loss,
        accuracy: r.accuracy,
        evalMs: r.evalMs,
      }),
    );
    if (!sent) {
      this.log.warn(`evaluation ${req.requestId} not sent: disconnected`);
      return;
    }
    this.emit('evaluated', { requestId: req.requestId, modelVersion: req.modelVersion, ...r });
  }

  /** Encodes and sends the pending update when joined and connected; otherwise it keeps waiting. */
  private async flushPending(): Promise<void> {
    const memory = await this.residuals.ready();
    const p = this.pending;
    if (p === null || this.phaseValue !== 'joined' || !this.transport.connected) return;
    this.pending = null;
    const a = p.job.assign;
    if (p.job.abort !== null) return this.skip(a.roundId, p.job.abort);
    if (p.local !== this.local || p.experimentId !== this.session?.experimentId) {
      return this.skip(a.roundId, 'model-changed');
    }
    this.sendUpdate(p, a.errorFeedback ? memory : undefined);
  }

  /**
   * Encodes (error feedback when `memory` is given) and sends. Synchronous, so nothing interleaves
   * between advancing the residual and sending; when the update cannot go out, the residual is put
   * back as it was, since the server never sees this compensated update.
   */
  private sendUpdate(p: PendingUpdate, memory: ResidualMemory | undefined): void {
    const a = p.job.assign;
    const limits = this.session!.limits;
    const before = memory ? Float32Array.from(memory.residual) : null;
    const restore = (): void => {
      if (memory && before) memory.residual.set(before);
    };
    let update: EncodedTensor;
    let frame: Uint8Array;
    let encodeMs: number;
    try {
      const encoded = encodeRound(codecFor(a.codec, a.roundId), p.trained.delta, a.seed, memory, a.dp);
      update = encoded.update;
      encodeMs = p.trained.deltaMs + encoded.encodeMs;
      frame = encodeMessage('update', {
        roundId: a.roundId,
        baseVersion: a.modelVersion,
        sampleCount: this.data.n,
        metrics: {
          loss: p.trained.loss,
          accuracy: p.trained.accuracy,
          trainMs: p.trained.trainMs,
          encodeMs,
        },
        update,
      });
    } catch (e) {
      restore();
      this.report(asClientError(e, 'UNSUPPORTED', a.roundId));
      return this.skip(a.roundId, 'failed');
    }
    const maxFrame = frameLimit('update', limits);
    if (update.byteLength > limits.maxUpdateBytes || frame.byteLength > maxFrame) {
      restore();
      this.report(
        new ClientError(
          'UPDATE_TOO_LARGE',
          `round ${a.roundId}: the update is ${update.byteLength} B (frame ${frame.byteLength} B); the server ` +
            `takes ${limits.maxUpdateBytes} B (frame ${maxFrame} B)`,
          { roundId: a.roundId, event: 'update' },
        ),
      );
      return this.skip(a.roundId, 'too-large');
    }
    if (!this.sendFrame('update', frame)) {
      restore();
      this.pending = p; // disconnected just now: sent after the re-join
      return;
    }
    const denseBytes = 4 * p.trained.delta.length;
    const ratio = denseBytes / update.byteLength;
    this.counts.update(denseBytes, update.byteLength);
    if (memory) this.residuals.save();
    this.log.info(
      `round ${a.roundId}: sent ${frame.byteLength} B with ${a.codec} (×${ratio.toFixed(1)} vs float32, ` +
        `encoded in ${encodeMs.toFixed(1)} ms)`,
    );
    this.emit('sent', {
      roundId: a.roundId,
      baseVersion: a.modelVersion,
      codec: a.codec,
      bytes: frame.byteLength,
      updateBytes: update.byteLength,
      denseBytes,
      ratio,
      encodeMs,
      residualNorm: memory ? memory.norm() : null,
    });
  }

  // ── Helpers ───────────────────────────────────────────────────────────────────────────────────

  private sendFrame(event: ClientEventName, frame: Uint8Array): boolean {
    if (!this.transport.send(event, frame)) return false;
    this.counts.sent(event, frame.byteLength);
    return true;
  }

  /** Drops the held model and reconnects, so that the next `hello` states null: a full model follows. */
  private resync(): void {
    this.local?.drop();
    if (!this.transport.connected) return; // the next connection's hello states null anyway
    this.resyncing = true;
    this.phaseValue = 'connecting';
    this.transport.close();
  }

  private dropWork(reason: SkipReason, forgetRounds: boolean): void {
    const dropped = this.queue.clear(reason, forgetRounds);
    if (dropped) this.skip(dropped.assign.roundId, reason);
    if (this.pending !== null) {
      this.skip(this.pending.job.assign.roundId, reason);
      this.pending = null;
    }
  }

  private skip(roundId: number, reason: SkipReason): void {
    this.log.info(`round ${roundId}: no update (${reason})`);
    this.emit('skipped', { roundId, reason });
  }

  private report(error: ClientError): void {
    // The server's NOT_ACCEPTING at the end of an experiment is how a session normally ends.
    const level =
      error.remoteCode === 'NOT_ACCEPTING' ? this.log.info : error.fatal ? this.log.error : this.log.warn;
    level(`${error.code}: ${error.message}`);
    this.emit('error', error);
    if (error.fatal) void this.close(error.message, error);
  }

  private retire(local: LocalModel): void {
    this.retired.push(local);
    this.disposeRetired();
  }

  private disposeRetired(): void {
    if (this.queue.running !== null) return; // a running job may still use a retired network
    for (const m of this.retired.splice(0)) m.dispose();
  }

  private isIdle(): boolean {
    return this.draining === null && (this.phaseValue === 'closed' || !this.queue.hasRunnable());
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async close(reason: string, error: ClientError | null): Promise<void> {
    if (this.phaseValue === 'closed') {
      await this.closed.promise;
      return;
    }
    this.phaseValue = 'closed';
    for (const off of this.unsubscribe.splice(0)) off();
    this.transport.close();
    this.dropWork('stopped', false);
    this.startWaiter?.reject(error ?? new ClientError('CLOSED', `closed before joining: ${reason}`));
    this.startWaiter = null;
    if (this.draining !== null) await this.draining;
    await this.residuals.flush();
    await this.models.flush();
    this.local?.dispose();
    this.retired.splice(0).forEach((m) => m.dispose());
    this.log.info(`closed: ${reason}`);
    const event: ClosedEvent = { reason, error };
    this.emit('closed', event);
    this.closed.resolve(event);
    this.settleIdle();
  }
}
