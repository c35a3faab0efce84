import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ExperimentEvents } from '../events/experiment-events.js';
import { EventLog } from './event-log.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions } from './tokens.js';

/** Logs the experiment's events (see {@link EventLog}) for the life of the app. */
@Injectable()
export class EventLogService implements OnModuleDestroy {
  private readonly log: EventLog;

  constructor(@Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions, events: ExperimentEvents) {
    this.log = new EventLog(events, options.logger, options.experimentId);
  }

  onModuleDestroy(): void {
    this.log.close();
  }
}
