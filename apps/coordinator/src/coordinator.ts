import 'reflect-metadata';
import type { DynamicModule, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { maxFrameBytes } from '@fedzip/protocol';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { ClientRegistry } from './clients/client-registry.js';
import { CoordinatorModule } from './coordinator.module.js';
import type { ExperimentEvents } from './events/experiment-events.js';
import { ExperimentHost } from './experiments/experiment-host.js';
import { ExperimentRuntime } from './experiments/experiment-runtime.js';
import { httpCors, socketCors } from './gateway/cors.js';
import { FedzipIoAdapter } from './gateway/io-adapter.js';
import type { RateLimitOptions } from './gateway/rate-limit.js';
import { limitsForModel } from './model/limits.js';
import { createCoordinatorLogger, envLogLevel, type LogLevelName } from './observability/logger.js';
import { ObservabilityModule } from './observability/observability.module.js';
import type { StoreProbe } from './observability/tokens.js';
import { type Clock, systemClock } from './rounds/clock.js';
import type { ExperimentSummary, RoundRunner } from './rounds/round-runner.js';
import type { ExperimentSetup } from './setup/experiment-setup.js';
import type { RunOptions } from './setup/run-options.js';
import { serveWebAssets } from './web/web-assets.js';

/** Options of {@link startServer}: the coordinator process, whatever experiments it hosts. */
export interface ServerOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly clock?: Clock;
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
  /** The admin token of the REST API and the dashboard ('' refuses every admin request). */
  readonly adminToken?: string;
  /**
   * The largest model (parameters, layout entries) an experiment on this server may have: it
   * sizes Socket.IO's frame buffer (each experiment's own limits are checked on every frame).
   */
  readonly maxModel: { readonly params: number; readonly layoutEntries: number };
  /** Modules added to the app (the experiment service of `fedzip serve`). */
  readonly modules?: readonly DynamicModule[];
  /** Serve the OpenAPI document and Swagger UI of the REST API at `/api/docs`. */
  readonly apiDocs?: boolean;
  /**
   * Browser origins (`https://host[:port]`, or `*`) allowed to call the REST API and to open
   * Socket.IO connections from another site (`server.corsOrigins`, `serve --cors-origin`).
   * Default: none, same-origin only: no CORS headers, and a Socket.IO handshake whose `Origin`
   * names another host is refused (see `gateway/cors.ts`).
   */
  readonly corsOrigins?: readonly string[];
  /** Per-connection rate limits of the clients' gateway (see `gateway/rate-limit.ts`). */
  readonly rateLimit?: Partial<RateLimitOptions>;
}

/** A running coordinator process. */
export interface CoordinatorServer {
  readonly app: NestExpressApplication;
  readonly url: string;
  readonly host: ExperimentHost;
  /** The pino logger of this coordinator (JSON lines on stderr by default). */
  readonly log: PinoLogger;
  close(): Promise<void>;
}

/** Starts the NestJS coordinator (gateways, pages, admin channel, metrics, health) with no experiment. */
export async function startServer(options: ServerOptions): Promise<CoordinatorServer> {
  const clock = options.clock ?? systemClock;
  const log = createCoordinatorLogger({
    level: options.logLevel ?? envLogLevel() ?? (options.logger === false ? 'silent' : 'info'),
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const limits = limitsForModel(options.maxModel.params, options.maxModel.layoutEntries);
  const maxHttpBufferSize = maxFrameBytes(limits) + 64 * 1024;
  const corsOrigins = options.corsOrigins ?? [];
  const core = CoordinatorModule.forRoot(clock, {
    adminToken: options.adminToken ?? '',
    maxFrameBytes: maxHttpBufferSize,
    ...(options.rateLimit && { rateLimit: options.rateLimit }),
  });
  const nestLogs = options.logger === undefined;
  const root = ObservabilityModule.around(core, {
    logger: log,
    nestLogs,
    storeProbe: options.storeProbe ?? null,
    maxEventLoopDelayMs: options.maxEventLoopDelayMs ?? 5000,
    modules: options.modules ?? [],
  });
  const app = await NestFactory.create<NestExpressApplication>(
    root,
    nestLogs ? { bufferLogs: true } : { logger: options.logger },
  );
  if (nestLogs) ObservabilityModule.useNestLogs(app);
  const cors = httpCors(corsOrigins);
  if (cors) app.enableCors(cors);
  // Experiment configs may be posted as YAML text (JSON goes through the default JSON parser).
  app.useBodyParser('text', {
    type: ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/plain'],
    limit: '1mb',
  });
  serveWebAssets(app);
  if (options.apiDocs) {
    // OpenAPI of the REST API at /api/docs (Swagger UI from swagger-ui-dist, served locally).
    const config = new DocumentBuilder()
      .setTitle('fedzip coordinator')
      .setDescription('Experiments as a service: create, control and inspect federated experiments.')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'the admin token' })
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, config));
  }
  app.useWebSocketAdapter(
    new FedzipIoAdapter(app, {
      ...socketCors(corsOrigins),
      maxHttpBufferSize,
      pingInterval: 25_000,
      pingTimeout: 60_000, // a Node client busy in a wasm training step answers pings late
    }),
  );
  const host = options.host ?? '127.0.0.1';
  await app.listen(options.port ?? 0, host);
  const address = app.getHttpServer().address() as { port: number };
  const experiments = app.get(ExperimentHost);
  let closing: Promise<void> | null = null;
  return {
    app,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    host: experiments,
    log,
    // Idempotent: a signal handler and a `finally` may both close.
    close: () =>
      (closing ??= (async () => {
        for (const x of experiments.list()) x.runner.stop();
        await settle(
          experiments.list().map((x) => x.registry),
          2000,
        );
        await app.close();
      })()),
  };
}

/** Options of {@link startCoordinator}. */
export interface CoordinatorOptions extends Omit<ServerOptions, 'maxModel' | 'modules' | 'apiDocs'> {
  /** Clients to wait for before round 1 (default: `clients.minAvailable`). */
  readonly startWhen?: number;
  /** Continue from a checkpoint (see `RunState`) instead of version 0. */
  readonly resume?: RunOptions['resume'];
  /** Checkpoints each completed round before clients see its model (see `RunOptions.onCommit`). */
  readonly onCommit?: RunOptions['onCommit'];
}

/** A coordinator running one experiment. */
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

/**
 * Starts a coordinator hosting one experiment (`fedzip run`, tests) on a loopback (or given)
 * address; `run()` plays its rounds.
 */
export async function startCoordinator(
  setup: ExperimentSetup,
  options: CoordinatorOptions = {},
): Promise<Coordinator> {
  const { startWhen, resume, onCommit, ...server } = options;
  const runtime = new ExperimentRuntime(setup, options.clock ?? systemClock, {
    startWhen: startWhen ?? setup.config.clients.minAvailable,
    ...(resume ? { resume } : {}),
    ...(onCommit ? { onCommit } : {}),
  });
  const s = await startServer({
    ...server,
    host: options.host ?? setup.config.server.host,
    port: options.port ?? setup.config.server.port,
    adminToken: options.adminToken ?? setup.adminToken,
    corsOrigins: options.corsOrigins ?? setup.config.server.corsOrigins,
    maxModel: { params: setup.initialWeights.length, layoutEntries: setup.layout.length },
  });
  s.host.add(runtime);
  return {
    app: s.app,
    url: s.url,
    events: runtime.events,
    runner: runtime.runner,
    registry: runtime.registry,
    log: s.log,
    run: () => runtime.run(),
    close: () => s.close(),
  };
}

/** Waits until every client has left (they close on the final NOT_ACCEPTING), at most `ms`. */
async function settle(registries: readonly ClientRegistry[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (registries.some((r) => r.size > 0) && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}
