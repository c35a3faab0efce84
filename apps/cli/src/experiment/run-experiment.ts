/**
 * One federated experiment end to end on this machine, as a function: the coordinator in this
 * process on a free loopback port, the simulated devices in worker threads over real Socket.IO.
 * `fedzip run` and `npm run bench:robust` both go through {@link runExperiment}.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExperimentConfig } from '@fedzip/config';
import {
  type Coordinator,
  type ExperimentSummary,
  type LogLevelName,
  startCoordinator,
} from '../../../coordinator/src/index.js';
import { CliError } from '../support/errors.js';
import type { ClientWorkerData } from './client-worker.js';
import { type PreparedExperiment, type PrepareExperimentOptions, prepareExperiment } from './prepare.js';

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions extends Pick<
  PrepareExperimentOptions,
  'cacheDir' | 'force' | 'log' | 'id'
> {
  /**
   * The config file the worker threads load. Absent: the parsed config itself is sent to them
   * (structured clone), which lets a program run configs that exist only in memory.
   */
  readonly configPath?: string;
  /** Worker threads hosting the clients (default: min(2, cores)). */
  readonly workers?: number;
  /** Level of the coordinator's pino logs (default `error`). */
  readonly logLevel?: LogLevelName;
  /**
   * Called once the coordinator listens and the workers are starting, before round 1 (e.g. to
   * show a progress bar); the function it returns, if any, is called when the run ends.
   */
  readonly onStart?: (
    coordinator: Coordinator,
    prepared: PreparedExperiment,
    workers: number,
  ) => (() => void) | void;
}

/** What {@link runExperiment} returns. */
export interface ExperimentRun {
  readonly summary: ExperimentSummary;
  readonly prepared: PreparedExperiment;
  /** Seconds from the call to the end of the last round (preparation included). */
  readonly wallSeconds: number;
}

/** The default worker-thread count: two, or one on a single core. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

/**
 * Prepares (teacher and student from the cache when there) and runs an experiment to its end,
 * then stops the workers and closes the coordinator. Rejects with a `CliError` when a worker
 * fails; a run whose rounds fail resolves with `summary.status` `'failed'`.
 */
export async function runExperiment(
  config: ExperimentConfig,
  options: RunExperimentOptions = {},
): Promise<ExperimentRun> {
  const started = performance.now();
  const prepared = await prepareExperiment(config, {
    force: options.force ?? false,
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
    ...(options.log && { log: options.log }),
    ...(options.id !== undefined && { id: options.id }),
  });
  const coordinator = await startCoordinator(prepared.setup, {
    host: '127.0.0.1',
    port: 0,
    startWhen: config.clients.count,
    logLevel: options.logLevel ?? 'error',
  });
  let workers: RunningWorker[] = [];
  let stopHook: (() => void) | void = undefined;
  try {
    workers = startWorkers(
      coordinator.url,
      prepared.setup.joinToken,
      options.configPath === undefined ? { config } : { configPath: options.configPath },
      config.clients.count,
      options.workers ?? defaultWorkerCount(),
    );
    stopHook = options.onStart?.(coordinator, prepared, workers.length);
    const summary = await Promise.race([coordinator.run(), ...workers.map((w) => w.failed)]);
    return { summary, prepared, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    if (stopHook) stopHook();
    await Promise.all(workers.map((w) => w.stop()));
    await coordinator.close();
  }
}

interface RunningWorker {
  /** Rejects if the worker reports an error or dies. */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
}

function startWorkers(
  url: string,
  token: string,
  source: Pick<ClientWorkerData, 'config' | 'configPath'>,
  count: number,
  threads: number,
): RunningWorker[] {
  const groups: number[][] = Array.from({ length: Math.min(threads, count) }, () => []);
  for (let i = 0; i < count; i++) groups[i % groups.length]!.push(i);
  return groups.map((indices) => {
    const data: ClientWorkerData = { url, token, ...source, indices };
    const worker = new Worker(new URL('./client-worker.js', import.meta.url), { workerData: data });
    let stopping = false;
    const failed = new Promise<never>((_, reject) => {
      worker.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'error') reject(new CliError(`client worker failed: ${m.message ?? 'unknown error'}`));
      });
      worker.on('error', (e) => reject(new CliError(`client worker crashed: ${e.message}`)));
      worker.on('exit', (code) => {
        if (!stopping && code !== 0) reject(new CliError(`client worker exited with code ${code}`));
      });
    });
    failed.catch(() => {});
    return {
      failed,
      stop: async () => {
        stopping = true;
        worker.postMessage({ type: 'stop' });
        const exited = new Promise<void>((r) => worker.once('exit', () => r()));
        const timeout = new Promise<void>((r) => setTimeout(r, 3000).unref());
        await Promise.race([exited, timeout]);
        await worker.terminate();
      },
    };
  });
}
