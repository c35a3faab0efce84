/**
 * `fedzip run [config]`: one federated experiment end to end on this machine — the coordinator on
 * a free loopback port, the clients in worker threads over real Socket.IO, a live progress bar,
 * and a table (plus `--json` totals as the last stdout line) at the end.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadExperiment } from '@fedzip/config';
import { type Command, InvalidArgumentError } from 'commander';
import { startCoordinator } from '../../../coordinator/src/index.js';
import type { ClientWorkerData } from '../experiment/client-worker.js';
import { dashboardUrl } from '../experiment/dashboard-url.js';
import { prepareExperiment } from '../experiment/prepare.js';
import { showProgress } from '../experiment/progress.js';
import { type ReportOptions, DEFAULT_RUNS_DIR, reportTarget } from '../experiment/report.js';
import { printRun } from '../experiment/summary.js';
import { CliError } from '../support/errors.js';
import { cliLogLevel } from '../support/log-level.js';

/** The default experiment, relative to the working directory (the repository root for npm start). */
export const DEFAULT_EXPERIMENT = 'experiments/mnist-default.yaml';

interface RunOptions extends ReportOptions {
  readonly json?: boolean;
  readonly force?: boolean;
  readonly workers: number;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a federated experiment end to end on this machine (coordinator + clients on loopback)')
    .argument('[config]', 'experiment file (YAML or JSON)', DEFAULT_EXPERIMENT)
    .option('--json', 'print the totals as one JSON object on the last stdout line')
    .option('--force', 'retrain the teacher and the student even when cached in .cache/')
    .option(
      '--workers <n>',
      'worker threads hosting the clients',
      parsePositive,
      Math.max(1, Math.min(2, availableParallelism())),
    )
    .option('--out <dir>', 'parent folder of the run folder <dir>/<experiment-id>/', DEFAULT_RUNS_DIR)
    .option('--no-report', 'do not write the run folder (report.html, metrics.json, rounds.csv, PNG)')
    .action(async (configPath: string, opts: RunOptions) => {
      const started = performance.now();
      const logLevel = cliLogLevel('error'); // checked before the long preparation
      const config = loadExperiment(configPath);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const prepared = await prepareExperiment(config, { force: opts.force ?? false, log });
      const coordinator = await startCoordinator(prepared.setup, {
        host: '127.0.0.1',
        port: 0,
        startWhen: config.clients.count,
        logLevel, // the progress bar owns the terminal
      });
      const workers = startWorkers(
        coordinator.url,
        prepared.setup.joinToken,
        configPath,
        config.clients.count,
        opts.workers,
      );
      log(
        `coordinator at ${coordinator.url}; ${config.clients.count} clients in ${workers.length} worker threads`,
      );
      log(`dashboard: ${dashboardUrl(coordinator.url, prepared.setup.adminToken)}`);
      const stopProgress = showProgress(coordinator, config.rounds);
      try {
        const summary = await Promise.race([coordinator.run(), ...workers.map((w) => w.failed)]);
        stopProgress();
        await printRun(summary, started, opts.json ?? false, reportTarget(opts, prepared.setup));
      } finally {
        stopProgress();
        await Promise.all(workers.map((w) => w.stop()));
        await coordinator.close();
      }
    });
}

interface RunningWorker {
  /** Rejects if the worker reports an error or dies. */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
}

function startWorkers(
  url: string,
  token: string,
  configPath: string,
  count: number,
  threads: number,
): RunningWorker[] {
  const groups: number[][] = Array.from({ length: Math.min(threads, count) }, () => []);
  for (let i = 0; i < count; i++) groups[i % groups.length]!.push(i);
  return groups.map((indices) => {
    const data: ClientWorkerData = { url, token, configPath, indices };
    const worker = new Worker(new URL('../experiment/client-worker.js', import.meta.url), {
      workerData: data,
    });
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

function parsePositive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
}
