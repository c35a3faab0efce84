import { type DynamicModule, Module } from '@nestjs/common';
import type { ProtocolLimits } from '@fedzip/protocol';
import { AdminGateway } from './admin/admin.gateway.js';
import { ClientRegistry } from './clients/client-registry.js';
import { Messenger } from './clients/messenger.js';
import { ExperimentEvents } from './events/experiment-events.js';
import { FederationGateway } from './gateway/federation.gateway.js';
import type { Clock } from './rounds/clock.js';
import { RoundRunner } from './rounds/round-runner.js';
import { UpdateIntake } from './rounds/update-intake.js';
import type { ExperimentSetup } from './setup/experiment-setup.js';
import { ClientPageController } from './web/client-page.controller.js';
import { CLOCK, EXPERIMENT_SETUP, PROTOCOL_LIMITS, RUN_OPTIONS, type RunOptions } from './setup/tokens.js';

/** The coordinator of one experiment: its gateway, client registry, rounds and aggregation. */
@Module({})
export class CoordinatorModule {
  static forExperiment(
    setup: ExperimentSetup,
    limits: ProtocolLimits,
    clock: Clock,
    run: RunOptions,
  ): DynamicModule {
    return {
      module: CoordinatorModule,
      controllers: [ClientPageController],
      providers: [
        { provide: EXPERIMENT_SETUP, useValue: setup },
        { provide: PROTOCOL_LIMITS, useValue: limits },
        { provide: CLOCK, useValue: clock },
        { provide: RUN_OPTIONS, useValue: run },
        ClientRegistry,
        Messenger,
        ExperimentEvents,
        UpdateIntake,
        RoundRunner,
        FederationGateway,
        AdminGateway,
      ],
      exports: [RoundRunner, ExperimentEvents, ClientRegistry, Messenger],
    };
  }
}
