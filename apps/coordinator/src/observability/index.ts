/** Observability of the coordinator: structured logs, Prometheus metrics, health checks. */
export { ObservabilityModule } from './observability.module.js';
export { MetricsService } from './metrics.service.js';
export {
  EventLog,
  type EventLogLine,
  type ExperimentEventName,
  LOGGED_EVENTS,
  eventLogLine,
} from './event-log.js';
export {
  type CoordinatorLoggerOptions,
  LOG_LEVELS,
  type LogLevelName,
  createCoordinatorLogger,
  envLogLevel,
  parseLogLevel,
} from './logger.js';
export { type ObservabilityOptions, STORE_PROBE, type StoreProbe } from './tokens.js';
export { EVENT_LOOP_WINDOW_MS } from './event-loop-monitor.js';
export { STORE_PROBE_TIMEOUT_MS } from './health.indicators.js';
