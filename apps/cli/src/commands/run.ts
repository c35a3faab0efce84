/**
 * `fedzip run [config]`: one federated experiment end to end on this machine — the coordinator on
 * a free loopback port, the clients in worker threads over real Socket.IO, a live progress bar,
 * and a table (plus `--json` totals as the last stdout line) at the end.
 */
import { loadExperiment } from '@fedzip/config';
import type { Command } from 'commander';
import { dashboardUrl } from '../experiment/dashboard-url.js';
import { showProgress } from '../experiment/progress.js';
import { type ReportOptions, DEFAULT_RUNS_DIR, reportTarget } from '../experiment/report.js';
import { defaultWorkerCount, runExperiment } from '../experiment/run-experiment.js';
import { printRun } from '../experiment/summary.js';
import { cliLogLevel } from '../support/log-level.js';
import { parsePositive } from '../support/option-parsers.js';

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
    .option('--workers <n>', 'worker threads hosting the clients', parsePositive, defaultWorkerCount())
    .option('--out <dir>', 'parent folder of the run folder <dir>/<experiment-id>/', DEFAULT_RUNS_DIR)
    .option('--no-report', 'do not write the run folder (report.html, metrics.json, rounds.csv, PNG)')
    .action(async (configPath: string, opts: RunOptions) => {
      const started = performance.now();
      const logLevel = cliLogLevel('error'); // checked before the long preparation
      const config = loadExperiment(configPath);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const { summary, prepared } = await runExperiment(config, {
        configPath,
        force: opts.force ?? false,
        log,
        workers: opts.workers,
        logLevel, // the progress bar owns the terminal
        onStart: (coordinator, p, workers) => {
          log(
            `coordinator at ${coordinator.url}; ${config.clients.count} clients in ${workers} worker threads`,
          );
          log(`dashboard: ${dashboardUrl(coordinator.url, p.setup.adminToken)}`);
          return showProgress(coordinator, config.rounds);
        },
      });
      await printRun(summary, started, opts.json ?? false, reportTarget(opts, prepared.setup));
    });
}
