import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FrameRefused } from '../events/session-events.js';
import { ExperimentHost } from '../experiments/experiment-host.js';
import { EventLog } from './event-log.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './tokens.js';

/** Logs every hosted experiment's events (see {@link EventLog}) for the life of the app. */
@Injectable()
export class EventLogService implements OnModuleDestroy {
  private readonly logs: EventLog[] = [];
  private readonly off: () => void;
  private readonly offSessions: () => void;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions, host: ExperimentHost) {
    this.off = host.onAdded((x) => this.logs.push(new EventLog(x.events, options.logger, x.id)));
    // One line per connection and code (a flood must not flood the log), and every fatal one.
    const onRefused = (e: FrameRefused): void => {
      if (!e.first && !e.fatal) return;
      options.logger[e.fatal ? 'warn' : 'info'](
        {
          event: 'frame-refused',
          code: e.code,
          reason: e.reason,
          fatal: e.fatal,
          socketId: e.socketId,
          clientId: e.clientId,
          experiment: e.experiment,
          ...(e.event !== null && { clientEvent: e.event }),
        },
        `${e.fatal ? 'closed connection' : 'refused frame'} (${e.code}): ${e.reason}`,
      );
    };
    host.sessions.on('frame-refused', onRefused);
    this.offSessions = () => host.sessions.off('frame-refused', onRefused);
  }

  onModuleDestroy(): void {
    this.off();
    this.offSessions();
    for (const log of this.logs.splice(0)) log.close();
  }
}
