import { type DynamicModule, type INestApplication, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { EventLoopMonitor } from './event-loop-monitor.js';
import { EventLogService } from './event-log.service.js';
import { HealthController } from './health.controller.js';
import { HealthIndicators } from './health.indicators.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';
import { OBSERVABILITY_OPTIONS, type ObservabilityOptions, STORE_PROBE } from './tokens.js';

/**
 * Logs, `/metrics` and `/health` of a coordinator. It is the application's root module and
 * imports the coordinator module whose exports (events, client registry, messenger, round runner)
 * it observes: the coordinator itself knows nothing of pino, prom-client or terminus.
 */
@Module({})
export class ObservabilityModule {
  /** The root module: `coordinator` plus observability, configured by `options`. */
  static around(coordinator: DynamicModule, options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [
        coordinator,
        ...options.modules,
        TerminusModule.forRoot({ logger: false }),
        ...(options.nestLogs
          ? [LoggerModule.forRoot({ pinoHttp: { logger: options.logger, useLevel: 'debug' } })]
          : []),
      ],
      controllers: [MetricsController, HealthController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        { provide: STORE_PROBE, useValue: options.storeProbe },
        MetricsService,
        EventLogService,
        EventLoopMonitor,
        HealthIndicators,
      ],
      exports: [MetricsService],
    };
  }

  /**
   * Sends Nest's own logs through pino, when the app was built with `nestLogs` (and created with
   * `bufferLogs: true`, so that the startup lines are not lost).
   *
   * nestjs-pino keeps one root logger per process: with several coordinators in one process,
   * Nest's lines (not the event lines) all go to the first one's logger.
   */
  static useNestLogs(app: INestApplication): void {
    app.useLogger(app.get(PinoNestLogger));
  }
}
