import 'reflect-metadata';
import type { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { maxFrameBytes } from '@fedzip/protocol';
import type { ClientRegistry } from './clients/client-registry.js';
import { CoordinatorModule } from './coordinator.module.js';
import type { ExperimentEvents } from './events/experiment-events.js';
import { ExperimentHost } from './experiments/experiment-host.js';
import { ExperimentRuntime } from './experiments/experiment-runtime.js';
import { FedzipIoAdapter } from './gateway/io-adapter.js';
import { type Clock, systemClock } from './rounds/clock.js';
import type { ExperimentSummary, RoundRunner } from './rounds/round-runner.js';
import type { ExperimentSetup } from './setup/experiment-setup.js';
import type { RunOptions } from './setup/run-options.js';
import { serveWebAssets } from './web/web-assets.js';

/** Options of {@link startCoordinator}. */
export interface CoordinatorOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly clock?: Clock;
  /** Clients to wait for before round 1 (default: `clients.minAvailable`). */
  readonly startWhen?: number;
  readonly logger?: LoggerService | LogLevel[] | false;
  /** Continue from a checkpoint (see `RunState`) instead of version 0. */
  readonly resume?: RunOptions['resume'];
  /** Checkpoints each completed round before clients see its model (see `RunOptions.onCommit`). */
  readonly onCommit?: RunOptions['onCommit'];
}

/** A running coordinator. */
export interface Coordinator {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly events: ExperimentEvents;
  readonly runner: RoundRunner;
  readonly registry: ClientRegistry;
  /** Runs the experiment's rounds; resolves when they are done (or failed). */
  run(): Promise<ExperimentSummary>;
  close(): Promise<void>;
}

/** Starts the NestJS coordinator for one experiment on a loopback (or given) address. */
export async function startCoordinator(
  setup: ExperimentSetup,
  options: CoordinatorOptions = {},
): Promise<Coordinator> {
  const clock = options.clock ?? systemClock;
  const runtime = new ExperimentRuntime(setup, clock, {
    startWhen: options.startWhen ?? setup.config.clients.minAvailable,
    ...(options.resume ? { resume: options.resume } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
  const limits = runtime.limits;
  const module = CoordinatorModule.forRoot(clock);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: options.logger ?? ['error', 'warn'],
  });
  serveWebAssets(app);
  app.useWebSocketAdapter(
    new FedzipIoAdapter(app, {
      maxHttpBufferSize: maxFrameBytes(limits) + 64 * 1024,
      pingInterval: 25_000,
      pingTimeout: 60_000, // a Node client busy in a wasm training step answers pings late
    }),
  );
  const host = options.host ?? setup.config.server.host;
  await app.listen(options.port ?? setup.config.server.port, host);
  const address = app.getHttpServer().address() as { port: number };
  app.get(ExperimentHost).add(runtime);
  const { runner, registry } = runtime;
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    events: runtime.events,
    runner,
    registry,
    run: () => runtime.run(),
    // Idempotent: a signal handler and a `finally` may both close.
    close: () =>
      (closing ??= (async () => {
        runner.stop();
        await settle(registry, 2000);
        await app.close();
      })()),
  };
}

/** Waits until every client has left (they close on the final NOT_ACCEPTING), at most `ms`. */
async function settle(registry: ClientRegistry, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (registry.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}
