/** The fedzip coordinator: a NestJS app that runs one federated experiment over Socket.IO. */
export { type Coordinator, type CoordinatorOptions, startCoordinator } from './coordinator.js';
export type { Architecture, Evaluation, ExperimentSetup } from './setup/experiment-setup.js';
export type { ExperimentSummary } from './rounds/round-runner.js';
export type { RoundRecord, ExperimentEventMap } from './events/experiment-events.js';
export { FakeClock, type Clock, systemClock } from './rounds/clock.js';
export type { RoundCommit, RunOptions, RunState } from './setup/run-options.js';
export { ExperimentHost } from './experiments/experiment-host.js';
export { ExperimentRuntime } from './experiments/experiment-runtime.js';
