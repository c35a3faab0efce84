import { type DynamicModule, Module } from '@nestjs/common';
import { AdminGateway } from './admin/admin.gateway.js';
import { ExperimentHost } from './experiments/experiment-host.js';
import { FederationGateway } from './gateway/federation.gateway.js';
import type { Clock } from './rounds/clock.js';
import { CLOCK, COORDINATOR_OPTIONS, type CoordinatorServerOptions } from './setup/tokens.js';
import { ClientPageController } from './web/client-page.controller.js';

/**
 * The coordinator: the experiments it hosts, the clients' gateway into them, the admin channel
 * and the client page's endpoints.
 */
@Module({})
export class CoordinatorModule {
  static forRoot(clock: Clock, options: CoordinatorServerOptions): DynamicModule {
    return {
      module: CoordinatorModule,
      // Global: the experiment service and observability modules inject the host and the clock.
      global: true,
      controllers: [ClientPageController],
      providers: [
        { provide: CLOCK, useValue: clock },
        { provide: COORDINATOR_OPTIONS, useValue: options },
        ExperimentHost,
        FederationGateway,
        AdminGateway,
      ],
      exports: [ExperimentHost, CLOCK, COORDINATOR_OPTIONS],
    };
  }
}
