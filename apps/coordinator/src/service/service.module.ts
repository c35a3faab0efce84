import { type DynamicModule, Module } from '@nestjs/common';
import type { Store } from '@fedzip/store';
import { AdminAuthGuard } from './admin-auth.guard.js';
import { ExperimentService } from './experiment-service.js';
import { ExperimentsController } from './experiments.controller.js';
import {
  SERVICE_OPTIONS,
  SETUP_FACTORY,
  STORE,
  type ServiceOptions,
  type SetupFactory,
} from './service-tokens.js';

/**
 * Experiments as a service (`fedzip serve`): the store-backed {@link ExperimentService} and the
 * REST API over it (`/api/experiments…`, admin token).
 */
@Module({})
export class ServiceModule {
  static forRoot(store: Store, factory: SetupFactory, options: ServiceOptions = {}): DynamicModule {
    return {
      module: ServiceModule,
      controllers: [ExperimentsController],
      providers: [
        { provide: STORE, useValue: store },
        { provide: SETUP_FACTORY, useValue: factory },
        { provide: SERVICE_OPTIONS, useValue: options },
        ExperimentService,
        AdminAuthGuard,
      ],
      exports: [ExperimentService],
    };
  }
}
