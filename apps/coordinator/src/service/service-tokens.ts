import type { ExperimentConfig } from '@fedzip/config';
import type { ExperimentSetup } from '../setup/experiment-setup.js';

/** DI token of the open `Store` (`@fedzip/store`). */
export const STORE = Symbol('STORE');
/** DI token of the {@link SetupFactory}. */
export const SETUP_FACTORY = Symbol('SETUP_FACTORY');
/** DI token of the {@link ServiceOptions}. */
export const SERVICE_OPTIONS = Symbol('SERVICE_OPTIONS');

/** Who an experiment is, fixed when it is created and kept across restarts. */
export interface ExperimentIdentity {
  readonly id: string;
  /** A shared join token ('' for none: signed tokens only). */
  readonly joinToken: string;
  readonly joinSecret: string;
}

/**
 * Turns a stored config into a runnable setup (data, the distilled and compressed student,
 * evaluation): `prepareExperiment` for real runs, a vector setup in tests.
 */
export type SetupFactory = (
  config: ExperimentConfig,
  identity: ExperimentIdentity,
) => Promise<ExperimentSetup>;

/** Options of the experiment service. */
export interface ServiceOptions {
  /** Clients to wait for before round 1 (default: the config's `clients.minAvailable`). */
  readonly startWhen?: (config: ExperimentConfig) => number;
}
