/**
 * `fedzip ls` and `fedzip status <id>`: what a running coordinator hosts, through its REST API
 * (admin token from `--admin-token` or `FEDZIP_ADMIN_TOKEN`).
 */
import Table from 'cli-table3';
import type { Command } from 'commander';
import type { ExperimentDetail, ExperimentListItem } from '../../../coordinator/src/api/experiment-views.js';
import { type ApiTarget, adminToken, apiGet } from '../support/api-client.js';

/** The coordinator `fedzip serve` listens on by default. */
const DEFAULT_URL = 'http://127.0.0.1:3000';
/** No colours: the output is read by scripts as often as by people. */
const PLAIN = { head: [], border: [] };

interface AdminOptions {
  readonly url: string;
  readonly adminToken?: string;
  readonly json?: boolean;
}

const pct = (v: number | null) => (v === null ? '–' : `${(100 * v).toFixed(2)} %`);
const ratio = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)}×`);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(3)} MB`;

function withTarget(cmd: Command): Command {
  return cmd
    .option('--url <url>', "the coordinator's base URL", process.env['FEDZIP_URL'] ?? DEFAULT_URL)
    .option('--admin-token <token>', 'the admin token (default: $FEDZIP_ADMIN_TOKEN)')
    .option('--json', 'print the answer as JSON');
}

const target = (opts: AdminOptions): ApiTarget => ({ url: opts.url, token: adminToken(opts.adminToken) });

export function registerAdmin(program: Command): void {
  withTarget(program.command('ls').description('list the experiments a coordinator hosts')).action(
    async (opts: AdminOptions) => {
      const list = await apiGet<ExperimentListItem[]>(target(opts), '/api/experiments');
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list)}\n`);
      const table = new Table({
        head: ['id', 'name', 'status', 'round', 'accuracy', 'created'],
        style: PLAIN,
      });
      for (const e of list) {
        table.push([e.id, e.name, e.status, `${e.round}/${e.rounds}`, pct(e.accuracy), e.createdAt]);
      }
      process.stdout.write(list.length === 0 ? 'no experiments\n' : `${table.toString()}\n`);
    },
  );

  withTarget(
    program
      .command('status')
      .description("an experiment's status, model hash, clients and metrics")
      .argument('<id>', 'the experiment id (see `fedzip ls`)'),
  ).action(async (id: string, opts: AdminOptions) => {
    const e = await apiGet<ExperimentDetail>(target(opts), `/api/experiments/${encodeURIComponent(id)}`);
    if (opts.json) return void process.stdout.write(`${JSON.stringify(e)}\n`);
    const m = e.metrics;
    const rows: [string, string][] = [
      ['experiment', `${e.id} (${e.name})`],
      ['status', e.reason ? `${e.status}: ${e.reason}` : e.status],
      ['round', `${e.round}/${e.rounds}`],
      ['model', `version ${e.modelVersion}, sha256 ${e.modelSha256 ?? '–'}`],
      [
        'clients',
        `${e.clients.connected} connected, ${e.clients.selected} selected, ${e.clients.reported} reported`,
      ],
      ['accuracy', pct(m.accuracy)],
      ['uplink', `${mb(m.uplinkBytes)} (${ratio(m.uplinkRatio)} smaller than float32)`],
      ['downlink', `${mb(m.downlinkBytes)} (${ratio(m.downlinkRatio)} smaller than float32)`],
    ];
    const table = new Table({ style: PLAIN });
    for (const [k, v] of rows) table.push({ [k]: v });
    process.stdout.write(`${table.toString()}\n`);
  });
}
