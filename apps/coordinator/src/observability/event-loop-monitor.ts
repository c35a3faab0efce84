import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

/** Length of one measuring window; readiness looks at the current and the previous one. */
export const EVENT_LOOP_WINDOW_MS = 10_000;

/**
 * Watches the event loop's delay (perf_hooks' sampler, 20 ms resolution) over a rolling window
 * of 10–20 s, so readiness can tell a loop that was recently blocked (a long synchronous
 * evaluation, a stuck decode) from a healthy one.
 */
@Injectable()
export class EventLoopMonitor implements OnModuleDestroy {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private previousMaxNs = 0;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previousMaxNs = this.histogram.max;
      this.histogram.reset();
    }, EVENT_LOOP_WINDOW_MS).unref();
  }

  /** The longest event-loop delay seen in the current and the previous window, in ms. */
  maxDelayMs(): number {
    const current = this.histogram.count > 0 ? this.histogram.max : 0;
    return Math.max(current, this.previousMaxNs) / 1e6;
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
