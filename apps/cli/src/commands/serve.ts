/**
 * `fedzip serve`: the coordinator as a service, for real deployments. It keeps experiments in an
 * embedded store (SQLite), resumes those a crash or restart interrupted, and takes new ones over
 * the REST API (`/api/experiments`, admin token). With `--config` it also creates (or, if an
 * unfinished one with the same config is in the store, resumes) that experiment, prints how
 * devices join, and exits with the run's table when it ends. Devices join with `fedzip client`
 * or the `/client` page.
 */
import { loadExperiment } from '@fedzip/config';
import { DEFAULT_STORE_PATH, openStore } from '@fedzip/store';
import { type Command, InvalidArgumentError } from 'commander';
import { ExperimentService, ServiceModule, startServer } from '../../../coordinator/src/index.js';
import { dashboardUrl } from '../experiment/dashboard-url.js';
import { prepareExperiment, resolveAdminToken } from '../experiment/prepare.js';
import { showProgress } from '../experiment/progress.js';
import { type ReportOptions, DEFAULT_RUNS_DIR, reportTarget } from '../experiment/report.js';
import { printRun } from '../experiment/summary.js';
import { cliLogLevel } from '../support/log-level.js';
import { parsePort, parsePositive } from '../support/option-parsers.js';

interface ServeOptions extends ReportOptions {
  readonly config?: string;
  readonly store: string;
  readonly port: number;
  readonly host: string;
  readonly token?: string;
  readonly adminToken?: string;
  readonly maxModelParams: number;
  readonly corsOrigin?: string[];
  readonly force?: boolean;
  readonly json?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'run the coordinator as a service (store, REST API, dashboard); devices join with `fedzip client`',
    )
    .option(
      '--config <file>',
      'also run this experiment (YAML or JSON), resuming it if the store has it unfinished',
    )
    .option(
      '--store <path>',
      'the SQLite store (default: $FEDZIP_STORE, else data/fedzip.db)',
      process.env['FEDZIP_STORE'] ?? DEFAULT_STORE_PATH,
    )
    .option('--port <n>', 'port to listen on (0 = a free one)', parsePort, 3000)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--token <token>', "a shared join token for --config's experiment (default: signed tokens only)")
    .option(
      '--admin-token <token>',
      'the REST API and dashboard token (default: FEDZIP_ADMIN_TOKEN, else server.adminToken, else a random one)',
    )
    .option(
      '--max-model-params <n>',
      'the largest model an experiment may have (sizes the frame buffer)',
      parsePositive,
      10_000_000,
    )
    .option(
      '--cors-origin <origin>',
      'a browser origin (https://host[:port], or *) allowed to call the API and connect from another site; repeat for more (default: server.corsOrigins of --config, else same-origin only)',
      collectOrigin,
    )
    .option('--force', 'retrain the teacher and the student even when cached in .cache/')
    .option('--json', "print --config's totals as one JSON object on the last stdout line")
    .option('--out <dir>', 'parent folder of the run folder <dir>/<experiment-id>/', DEFAULT_RUNS_DIR)
    .option('--no-report', 'do not write the run folder (report.html, metrics.json, rounds.csv, PNG)')
    .action(async (opts: ServeOptions) => {
      const started = performance.now();
      const logLevel = cliLogLevel('info'); // checked before the long preparation
      const config = opts.config === undefined ? undefined : loadExperiment(opts.config);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const adminToken = resolveAdminToken(config, opts.adminToken);
      const store = openStore(opts.store);
      const server = await startServer({
        host: opts.host,
        port: opts.port,
        logLevel, // JSON lines on stderr; stdout carries results
        adminToken,
        maxModel: { params: opts.maxModelParams, layoutEntries: 4096 },
        apiDocs: true,
        corsOrigins: opts.corsOrigin ?? config?.server.corsOrigins ?? [],
        storeProbe: { check: async () => ({ path: store.path, ...store.probe() }) },
        modules: [
          ServiceModule.forRoot(
            store,
            async (c, identity) =>
              (await prepareExperiment(c, { force: opts.force ?? false, log, adminToken, ...identity }))
                .setup,
          ),
        ],
      });
      const service = server.app.get(ExperimentService);
      server.host.holdJoins(); // until the store's unfinished experiments are back
      let closing: Promise<void> | null = null;
      const close = () => (closing ??= server.close().finally(() => store.close()));
      const stop = (signal: string) => {
        log(`${signal}: closing (running experiments resume at the next start)`);
        void close().then(() => process.exit(130));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.stdout.write(`coordinator: ${server.url}\n`);
      process.stdout.write(`api: ${server.url}/api/experiments (docs: ${server.url}/api/docs)\n`);
      process.stdout.write(`dashboard: ${dashboardUrl(server.url, adminToken)}\n`);
      process.stdout.write(`store: ${store.path}\n`);
      try {
        for (const id of await service.restoreUnfinished()) log(`resumed experiment ${id} from the store`);
      } finally {
        server.host.ready();
      }
      if (config === undefined || opts.config === undefined) return; // serves until a signal
      let id = service.findUnfinished(config);
      if (id === undefined) {
        id = service.create(config, opts.token ? { joinToken: opts.token } : {}).id;
        await service.start(id);
      }
      const runtime = service.runtimeOf(id)!;
      const signed = service.issueToken(id).token;
      process.stdout.write(`experiment: ${id}\n`);
      process.stdout.write(`join token: ${runtime.setup.joinToken || signed}\n`);
      process.stdout.write(
        `join with: npm run fedzip -- client --url ${server.url} --token ${runtime.setup.joinToken || signed} --data ${opts.config}:<0…${config.clients.count - 1}>\n`,
      );
      // At info the event log already has a line per round: no bar in between its lines.
      const stopProgress = server.log.isLevelEnabled('info')
        ? () => {}
        : showProgress(runtime, config.rounds);
      try {
        const summary = await service.finished(id);
        stopProgress();
        await printRun(summary, started, opts.json ?? false, reportTarget(opts, runtime.setup));
      } finally {
        stopProgress();
        await close();
      }
    });
}

function collectOrigin(value: string, previous: string[] | undefined): string[] {
  if (!/^(\*|https?:\/\/[^/\s]+)$/.test(value))
    throw new InvalidArgumentError('expected an origin such as https://example.org (no path), or *.');
  return [...(previous ?? []), value];
}
