import 'reflect-metadata';
import type { LoggerService, LogLevel } from '@nestjs/common';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { maxFrameBytes } from '@fedzip/protocol';
import { ClientRegistry } from './clients/client-registry.js';
import { CoordinatorModule } from './coordinator.module.js';
import { ExperimentEvents } from './events/experiment-events.js';
import { FedzipIoAdapter } from './gateway/io-adapter.js';
import { limitsForModel } from './model/limits.js';
import { type Clock, systemClock } from './rounds/clock.js';
import { createCoordinatorLogger, envLogLevel, type LogLevelName } from './observability/logger.js';
import { ObservabilityModule } from './observability/observability.module.js';
import type { StoreProbe } from './observability/tokens.js';
import { type ExperimentSummary, RoundRunner } from './rounds/round-runner.js';
import type { ExperimentSetup } from './setup/experiment-setup.js';
import { serveWebAssets } from './web/web-assets.js';

/** Options of {@link startCoordinator}. */
export interface CoordinatorOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly clock?: Clock;
  /** Clients to wait for before round 1 (default: `clients.minAvailable`). */
  readonly startWhen?: number;
  /**
   * Nest's own logger. Absent (the default): Nest logs through the pino logger below. Given
   * (tests pass `false` or levels): Nest keeps its console logger with these settings.
   */
  readonly logger?: LoggerService | LogLevel[] | false;
  /**
   * Level of the pino logs (event lines, and Nest's when `logger` is absent). Default: the
   * `LOG_LEVEL` environment variable, else `info` (`silent` when `logger` is `false`).
   */
  readonly logLevel?: LogLevelName;
  /** Where the pino JSON lines go (default: stderr). */
  readonly logDestination?: DestinationStream;
  /** Readiness check of the experiment store (default: none configured, reported up). */
  readonly storeProbe?: StoreProbe;
  /** Readiness fails when the event loop was blocked longer than this recently (default 5000 ms). */
  readonly maxEventLoopDelayMs?: number;
}

/** A running coordinator. */
export interface Coordinator {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly events: ExperimentEvents;
  readonly runner: RoundRunner;
  readonly registry: ClientRegistry;
  /** The pino logger of this coordinator (JSON lines on stderr by default). */
  readonly log: PinoLogger;
  /** Runs the experiment's rounds; resolves when they are done (or failed). */
  run(): Promise<ExperimentSummary>;
  close(): Promise<void>;
}

/** Starts the NestJS coordinator for one experiment on a loopback (or given) address. */
export async function startCoordinator(
  setup: ExperimentSetup,
  options: CoordinatorOptions = {},
): Promise<Coordinator> {
  const limits = limitsForModel(setup.initialWeights.length, setup.layout.length);
  const module = CoordinatorModule.forExperiment(setup, limits, options.clock ?? systemClock, {
    startWhen: options.startWhen ?? setup.config.clients.minAvailable,
  });
  const log = createCoordinatorLogger({
    level: options.logLevel ?? envLogLevel() ?? (options.logger === false ? 'silent' : 'info'),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const nestLogs = options.logger === undefined;
  const root = ObservabilityModule.around(module, {
    experimentId: setup.id,
    logger: log,
    nestLogs,
    storeProbe: options.storeProbe ?? null,
    maxEventLoopDelayMs: options.maxEventLoopDelayMs ?? 5000,
  });
  const app = await NestFactory.create<NestExpressApplication>(
    root,
    nestLogs ? { bufferLogs: true } : { logger: options.logger },
  );
  if (nestLogs) ObservabilityModule.useNestLogs(app);
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
  const runner = app.get(RoundRunner);
  const registry = app.get(ClientRegistry);
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    events: app.get(ExperimentEvents),
    runner,
    registry,
    log,
    run: () => runner.run(),
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
