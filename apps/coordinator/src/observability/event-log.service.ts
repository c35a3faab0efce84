import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExperimentHost } from '../experiments/experiment-host.js';
import { EventLog } from './event-log.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './tokens.js';

/** Logs every hosted experiment's events (see {@link EventLog}) for the life of the app. */
@Injectable()
export class EventLogService implements OnModuleDestroy {
  private readonly logs: EventLog[] = [];
  private readonly off: () => void;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions, host: ExperimentHost) {
    this.off = host.onAdded((x) => this.logs.push(new EventLog(x.events, options.logger, x.id)));
  }

  onModuleDestroy(): void {
    this.off();
    for (const log of this.logs.splice(0)) log.close();
  }
}
