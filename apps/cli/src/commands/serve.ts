/**
 * `fedzip serve --config <file> [--port N]`: only the coordinator, for real deployments; devices
 * join with `fedzip client` (or a browser). Prints the URL and join token, then the run's table.
 */
import { loadExperiment } from '@fedzip/config';
import { type Command, InvalidArgumentError } from 'commander';
import { startCoordinator } from '../../../coordinator/src/index.js';
import { dashboardUrl } from '../experiment/dashboard-url.js';
import { prepareExperiment } from '../experiment/prepare.js';
import { showProgress } from '../experiment/progress.js';
import { type ReportOptions, DEFAULT_RUNS_DIR, reportTarget } from '../experiment/report.js';
import { printRun } from '../experiment/summary.js';
import { cliLogLevel } from '../support/log-level.js';
import { DEFAULT_EXPERIMENT } from './run.js';

interface ServeOptions extends ReportOptions {
  readonly config: string;
  readonly port?: number;
  readonly host?: string;
  readonly token?: string;
  readonly adminToken?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run only the coordinator of an experiment; devices join with `fedzip client`')
    .option('--config <file>', 'experiment file (YAML or JSON)', DEFAULT_EXPERIMENT)
    .option('--port <n>', 'port to listen on (default: server.port of the config; 0 = a free one)', parsePort)
    .option('--host <address>', 'address to listen on (default: server.host of the config, 127.0.0.1)')
    .option('--token <token>', 'the join token devices must present (default: a random one, printed)')
    .option(
      '--admin-token <token>',
      'the dashboard token (default: FEDZIP_ADMIN_TOKEN, else server.adminToken, else a random one)',
    )
    .option('--force', 'retrain the teacher and the student even when cached in .cache/')
    .option('--json', 'print the totals as one JSON object on the last stdout line')
    .option('--out <dir>', 'parent folder of the run folder <dir>/<experiment-id>/', DEFAULT_RUNS_DIR)
    .option('--no-report', 'do not write the run folder (report.html, metrics.json, rounds.csv, PNG)')
    .action(async (opts: ServeOptions) => {
      const started = performance.now();
      const logLevel = cliLogLevel('info'); // checked before the long preparation
      const config = loadExperiment(opts.config);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const prepared = await prepareExperiment(config, {
        force: opts.force ?? false,
        log,
        ...(opts.token ? { joinToken: opts.token } : {}),
        ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
      });
      const coordinator = await startCoordinator(prepared.setup, {
        host: opts.host ?? config.server.host,
        port: opts.port ?? config.server.port,
        logLevel, // JSON lines on stderr; stdout carries results
      });
      const token = prepared.setup.joinToken;
      process.stdout.write(`coordinator: ${coordinator.url}\njoin token: ${token}\n`);
      process.stdout.write(`dashboard: ${dashboardUrl(coordinator.url, prepared.setup.adminToken)}\n`);
      process.stdout.write(
        `join with: npm run fedzip -- client --url ${coordinator.url} --token ${token} --data ${opts.config}:<0…${config.clients.count - 1}>\n`,
      );
      const stop = () => void coordinator.close().then(() => process.exit(130));
      process.once('SIGINT', stop);
      // At info the event log already has a line per round: no bar in between its lines.
      const stopProgress = coordinator.log.isLevelEnabled('info')
        ? () => {}
        : showProgress(coordinator, config.rounds);
      try {
        const summary = await coordinator.run();
        stopProgress();
        await printRun(summary, started, opts.json ?? false, reportTarget(opts, prepared.setup));
      } finally {
        stopProgress();
        process.off('SIGINT', stop);
        await coordinator.close();
      }
    });
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError('expected a port number in [0, 65535].');
  return n;
}
