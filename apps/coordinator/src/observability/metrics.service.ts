import type { EventEmitter } from 'node:events';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ExperimentEventMap, ExperimentEvents } from '../events/experiment-events.js';
import type { FrameRefused } from '../events/session-events.js';
import { ExperimentHost } from '../experiments/experiment-host.js';
import type { ExperimentRuntime } from '../experiments/experiment-runtime.js';

/** Buckets of the per-update decode time, in seconds (0.1 ms … 2.5 s). */
const DECODE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5];
/** Buckets of the aggregation time, in seconds (1 ms … 30 s). */
const AGGREGATE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The coordinator's Prometheus metrics, in a registry of its own (several coordinators may share
 * a process): Node's default process metrics plus `fedzip_*` metrics labelled with the
 * experiment id, fed by the experiment's events and, at scrape time, by the client registry and
 * the messenger's byte totals. See docs/observability.md for the list.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  /** The registry `/metrics` exposes. */
  readonly registry = new Registry();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(host: ExperimentHost) {
    const registers = [this.registry];
    const labelNames = ['experiment'] as const;
    collectDefaultMetrics({ register: this.registry });

    const roundsCompleted = new Counter({
      name: 'fedzip_rounds_completed_total',
      help: 'Rounds that completed (aggregated a new global model).',
      labelNames,
      registers,
    });
    const roundsFailed = new Counter({
      name: 'fedzip_rounds_failed_total',
      help: 'Round attempts that failed (too few results, no model, stopped); a retried round counts each attempt.',
      labelNames,
      registers,
    });
    const round = new Gauge({
      name: 'fedzip_round',
      help: 'Index (1-based) of the latest round opened; 0 before the first.',
      labelNames,
      registers,
    });
    const version = new Gauge({
      name: 'fedzip_model_version',
      help: 'Version of the global model.',
      labelNames,
      registers,
    });
    const received = new Counter({
      name: 'fedzip_updates_received_total',
      help: 'Update frames received from joined clients (accepted + rejected).',
      labelNames,
      registers,
    });
    const accepted = new Counter({
      name: 'fedzip_updates_accepted_total',
      help: 'Updates accepted into a round.',
      labelNames,
      registers,
    });
    const rejected = new Counter({
      name: 'fedzip_updates_rejected_total',
      help: 'Updates rejected, by reason (the reject or error code sent to the client).',
      labelNames: ['experiment', 'reason'] as const,
      registers,
    });
    const dropped = new Counter({
      name: 'fedzip_updates_dropped_total',
      help: 'Selected clients that left or never reported before their round closed.',
      labelNames,
      registers,
    });
    const decode = new Histogram({
      name: 'fedzip_update_decode_seconds',
      help: 'Time to parse an accepted update and decode it into the round sum.',
      labelNames,
      buckets: DECODE_BUCKETS,
      registers,
    });
    const aggregate = new Histogram({
      name: 'fedzip_aggregate_seconds',
      help: "Time of the strategy's aggregation at the close of a round.",
      labelNames,
      buckets: AGGREGATE_BUCKETS,
      registers,
    });
    const accuracy = new Gauge({
      name: 'fedzip_accuracy',
      help: 'Accuracy of the global model at the last server-side evaluation (absent before the first).',
      labelNames,
      registers,
    });
    const loss = new Gauge({
      name: 'fedzip_loss',
      help: 'Loss of the global model at the last server-side evaluation (absent before the first).',
      labelNames,
      registers,
    });
    const epsilon = new Gauge({
      name: 'fedzip_privacy_epsilon',
      help: 'Differential privacy spent: epsilon at privacy.delta after the completed rounds (absent when privacy is off).',
      labelNames,
      registers,
    });
    new Gauge({
      name: 'fedzip_clients_connected',
      help: 'Clients joined (said hello) and still connected.',
      labelNames,
      registers,
      collect() {
        for (const x of host.list()) this.set({ experiment: x.id }, x.registry.size);
      },
    });
    // Bytes are counted by each experiment's messenger; the counters catch up with its totals at
    // scrape time.
    const seenSent = new Map<string, number>();
    const seenReceived = new Map<string, number>();
    new Counter({
      name: 'fedzip_bytes_sent_total',
      help: 'Bytes of the frames sent to clients (downlink), by message (model, assign, ack, reject, welcome, error).',
      labelNames: ['experiment', 'message'] as const,
      registers,
      collect() {
        for (const x of host.list()) {
          for (const [message, total] of x.messenger.totals.sentBytes) {
            const key = JSON.stringify([x.id, message]);
            const delta = total - (seenSent.get(key) ?? 0);
            if (delta > 0) this.inc({ experiment: x.id, message }, delta);
            seenSent.set(key, total);
          }
        }
      },
    });
    const bytesReceived = new Counter({
      name: 'fedzip_bytes_received_total',
      help: 'Bytes of the update frames received from clients (uplink), valid or not.',
      labelNames,
      registers,
      collect() {
        for (const x of host.list()) {
          const total = x.messenger.totals.receivedBytes;
          const seen = seenReceived.get(x.id) ?? 0;
          if (total > seen) this.inc({ experiment: x.id }, total - seen);
          seenReceived.set(x.id, total);
        }
      },
    });

    // Refusals of the clients' gateway, before a frame reaches an experiment (rate limits, unknown
    // events, bad hellos): per process, since a refused connection may belong to no experiment.
    const refused = new Counter({
      name: 'fedzip_frames_refused_total',
      help: "Frames the clients' gateway refused before any experiment saw them, by reason (the error code).",
      labelNames: ['reason'] as const,
      registers,
    });
    const closed = new Counter({
      name: 'fedzip_connections_closed_total',
      help: 'Client connections the gateway closed (fatal error: bad token or version, rate limit abuse, no hello), by reason.',
      labelNames: ['reason'] as const,
      registers,
    });
    for (const reason of ['RATE_LIMITED', 'BAD_EVENT', 'BAD_FRAME']) refused.inc({ reason }, 0);
    closed.inc({ reason: 'RATE_LIMITED' }, 0);
    const onRefused = (e: FrameRefused): void => {
      refused.inc({ reason: e.code });
      if (e.fatal) closed.inc({ reason: e.code });
    };
    host.sessions.on('frame-refused', onRefused);
    this.unsubscribe.push(() => host.sessions.off('frame-refused', onRefused));

    this.unsubscribe.push(
      host.onAdded((x: ExperimentRuntime) => {
        const experiment = x.id;
        const l = { experiment };
        // Present from the start (at 0), so rates work before the first event.
        for (const c of [roundsCompleted, roundsFailed, received, accepted, dropped, bytesReceived])
          c.inc(l, 0);
        decode.zero(l);
        aggregate.zero(l);
        round.set(l, 0);
        version.set(l, 0);

        this.on(x.events, 'round-opened', (e) => round.set(l, e.round));
        this.on(x.events, 'update-accepted', (e) => {
          received.inc(l);
          accepted.inc(l);
          decode.observe(l, e.decodeMs / 1000);
        });
        this.on(x.events, 'update-rejected', (e) => {
          received.inc(l);
          rejected.inc({ experiment, reason: e.code });
        });
        this.on(x.events, 'round-closed', (r) => {
          (r.status === 'completed' ? roundsCompleted : roundsFailed).inc(l);
          dropped.inc(l, r.dropped);
          version.set(l, r.version);
          // A failed attempt only aggregated if the strategy ran (and produced no model).
          if (r.status === 'completed' || r.aggregateMs > 0) aggregate.observe(l, r.aggregateMs / 1000);
          if (r.accuracy !== null) accuracy.set(l, r.accuracy);
          if (r.loss !== null) loss.set(l, r.loss);
          if (r.epsilon !== undefined) epsilon.set(l, r.epsilon);
        });
      }),
    );
  }

  /** The metrics in Prometheus' text format. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.registry.clear();
  }

  private on<E extends keyof ExperimentEventMap>(
    events: ExperimentEvents,
    event: E,
    fn: (...args: ExperimentEventMap[E]) => void,
  ): void {
    const bus = events as unknown as EventEmitter;
    const handler = fn as (...args: unknown[]) => void;
    bus.on(event, handler);
    this.unsubscribe.push(() => bus.off(event, handler));
  }
}
