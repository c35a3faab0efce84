/** DI tokens of the coordinator module. */
export const EXPERIMENT_SETUP = Symbol('EXPERIMENT_SETUP');
export const CLOCK = Symbol('CLOCK');
export const PROTOCOL_LIMITS = Symbol('PROTOCOL_LIMITS');
export const RUN_OPTIONS = Symbol('RUN_OPTIONS');

/** How the experiment loop starts. */
export interface RunOptions {
  /** Wait for this many clients before the first round (fedzip run: all of them). */
  readonly startWhen: number;
}
