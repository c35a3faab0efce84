/** How an experiment's loop starts. */
export interface RunOptions {
  /** Wait for this many clients before the first round (fedzip run: all of them). */
  readonly startWhen: number;
}
