import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ExperimentHost } from '../experiments/experiment-host.js';
import { EventLoopMonitor } from './event-loop-monitor.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions, STORE_PROBE, type StoreProbe } from './tokens.js';

/** How long the store probe may take before the store counts as down. */
export const STORE_PROBE_TIMEOUT_MS = 3000;

/**
 * The health indicators of `/health`: `process` (liveness), and for readiness `loop` (the
 * experiment loop is idle, running or finished by its own rules, not crashed), `eventLoop` (not
 * blocked recently) and `store` (writable; up with `configured: false` when no store is wired).
 */
@Injectable()
export class HealthIndicators {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly host: ExperimentHost,
    private readonly monitor: EventLoopMonitor,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
    @Inject(STORE_PROBE) private readonly store: StoreProbe | null,
  ) {}

  /** Liveness: the process answers. */
  process(): HealthIndicatorResult<'process'> {
    return this.health.check('process').up({ pid: process.pid, uptimeSeconds: Math.round(process.uptime()) });
  }

  /** The experiment loops: down when one of them threw (`run` rejected). */
  loop(): HealthIndicatorResult<'loop'> {
    const check = this.health.check('loop');
    const loops = this.host.list().map((x) => ({
      experiment: x.id,
      phase: x.runner.phase,
      round: x.runner.current?.index ?? null,
      crash: x.runner.crash,
    }));
    const crashed = loops.find((l) => l.phase === 'crashed');
    const experiments = loops.map(({ experiment, phase, round }) => ({ experiment, phase, round }));
    if (crashed) {
      const e = crashed.crash;
      return check.down({
        experiments,
        error: `${crashed.experiment}: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
    return check.up({ experiments });
  }

  /** The event loop: down when it was blocked longer than the threshold in the last 10–20 s. */
  eventLoop(): HealthIndicatorResult<'eventLoop'> {
    const check = this.health.check('eventLoop');
    const maxDelayMs = Math.round(this.monitor.maxDelayMs());
    const data = { maxDelayMs, thresholdMs: this.options.maxEventLoopDelayMs };
    return maxDelayMs > this.options.maxEventLoopDelayMs ? check.down(data) : check.up(data);
  }

  /** The store: writable (per its probe), or not configured. */
  async storeWritable(): Promise<HealthIndicatorResult<'store'>> {
    const store = this.store;
    if (!store) return this.health.check('store').up({ configured: false });
    return this.health
      .check('store')
      .attempt(async ({ signal }) => ({ configured: true, ...(await store.check(signal)) }))
      .withTimeout(STORE_PROBE_TIMEOUT_MS);
  }
}
