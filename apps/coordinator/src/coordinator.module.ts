import { type DynamicModule, Module } from '@nestjs/common';
import { ExperimentHost } from './experiments/experiment-host.js';
import { FederationGateway } from './gateway/federation.gateway.js';
import type { Clock } from './rounds/clock.js';
import { CLOCK } from './setup/tokens.js';

/** The coordinator: the experiments it hosts and the clients' gateway into them. */
@Module({})
export class CoordinatorModule {
  static forRoot(clock: Clock): DynamicModule {
    return {
      module: CoordinatorModule,
      providers: [{ provide: CLOCK, useValue: clock }, ExperimentHost, FederationGateway],
      exports: [ExperimentHost],
    };
  }
}
