/** The fedzip coordinator: a NestJS app that runs one federated experiment over Socket.IO. */
export {
  type Coordinator,
  type CoordinatorOptions,
  type CoordinatorServer,
  type ServerOptions,
  startCoordinator,
  startServer,
} from './coordinator.js';
export { ExperimentService, ServiceError } from './service/experiment-service.js';
export { ServiceModule } from './service/service.module.js';
export type { ExperimentIdentity, ServiceOptions, SetupFactory } from './service/service-tokens.js';
export type { ExperimentDetail, ExperimentListItem } from './api/experiment-views.js';
export type { Architecture, Evaluation, ExperimentSetup } from './setup/experiment-setup.js';
export type { ExperimentSummary } from './rounds/round-runner.js';
export type { RoundRecord, ExperimentEventMap } from './events/experiment-events.js';
export { FakeClock, type Clock, systemClock } from './rounds/clock.js';
export {
  type RunFiles,
  type RunReport,
  type RunTotals,
  RUN_FILES,
  renderReportHtml,
  runTotals,
  writeRunReport,
} from './report/index.js';
export {
  type LogLevelName,
  LOG_LEVELS,
  type StoreProbe,
  STORE_PROBE,
  EventLog,
  eventLogLine,
  type EventLogLine,
} from './observability/index.js';
export type { RoundCommit, RunOptions, RunState } from './setup/run-options.js';
export { ExperimentHost } from './experiments/experiment-host.js';
export { ExperimentRuntime } from './experiments/experiment-runtime.js';
