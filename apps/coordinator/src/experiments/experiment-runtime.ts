import type { ProtocolLimits } from '@fedzip/protocol';
import { ClientRegistry } from '../clients/client-registry.js';
import { Messenger } from '../clients/messenger.js';
import { ExperimentEvents, type RoundRecord } from '../events/experiment-events.js';
import { limitsForModel } from '../model/limits.js';
import type { Clock } from '../rounds/clock.js';
import { type ExperimentSummary, RoundRunner } from '../rounds/round-runner.js';
import { UpdateIntake } from '../rounds/update-intake.js';
import type { ExperimentSetup } from '../setup/experiment-setup.js';
import type { RunOptions } from '../setup/run-options.js';

/**
 * One experiment hosted by a coordinator: its clients, its event bus, its update intake and its
 * round loop. A coordinator process hosts several (see `ExperimentHost`); the Socket.IO gateway
 * routes each client to one by its join token. Plain objects rather than Nest providers, because
 * Nest's container holds one instance per provider and a coordinator holds one set per experiment.
 */
export class ExperimentRuntime {
  readonly registry = new ClientRegistry();
  readonly events = new ExperimentEvents();
  readonly messenger: Messenger;
  readonly intake: UpdateIntake;
  readonly runner: RoundRunner;
  /** What the server enforces on this experiment's frames, sized from its model. */
  readonly limits: ProtocolLimits;
  /** The records of the rounds before this process took over (a resumed experiment's). */
  readonly history: readonly RoundRecord[];
  private running: Promise<ExperimentSummary> | null = null;

  constructor(
    readonly setup: ExperimentSetup,
    clock: Clock,
    options: RunOptions,
  ) {
    this.history = options.resume?.records ?? [];
    this.limits = limitsForModel(setup.initialWeights.length, setup.layout.length);
    this.messenger = new Messenger(setup);
    this.intake = new UpdateIntake(setup, this.limits, this.messenger, this.events);
    this.runner = new RoundRunner(
      setup,
      clock,
      options,
      this.registry,
      this.messenger,
      this.events,
      this.intake,
    );
  }

  get id(): string {
    return this.setup.id;
  }

  /** Runs the rounds (once: later calls return the same promise). */
  run(): Promise<ExperimentSummary> {
    return (this.running ??= this.runner.run());
  }

  /** Whether {@link run} has been called. */
  get started(): boolean {
    return this.running !== null;
  }
}
