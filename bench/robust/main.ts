/**
 * `npm run bench:robust [-- --quick] [-- --attack sign-flip --attack gaussian] [-- --json <file>]`:
 * Byzantine robustness (issue 7). The default MNIST experiment (experiments/mnist-default.yaml: 20
 * clients, 10 per round, 30 rounds, top-1 % + q8 uplink with error feedback) with 20 % of the
 * clients attacking, once per aggregator, beside the honest-only FedAvg run. Every run is a real
 * `fedzip run` (in-process coordinator, worker-thread clients over Socket.IO, `runExperiment`);
 * the teacher and the student come from `.cache/`. Prints a table, writes the rows as JSON
 * (default bench/results/robust.json). Informational: exits 0 whether or not the target (the best
 * robust aggregator within 2 pp of honest-only) holds, and says which.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { loadExperiment } from '@fedzip/config';
import { runExperiment } from '../../apps/cli/src/experiment/run-experiment.js';
import { AGGREGATORS, ATTACKS, type Scenario, scenarios } from './scenarios.js';

const USAGE = `usage: node dist/bench/robust/main.js [--quick] [--attack <kind>]... [--only <aggregator>]...
                                        [--rounds <n>] [--config <file>] [--json <file>] [--markdown]
  --quick        10 rounds instead of the config's 30, sign flip only (about 5 minutes)
  --attack       sign-flip, gaussian, constant, label-flip (repeatable; default sign-flip and gaussian)
  --only         only aggregators whose label starts with this (repeatable), e.g. --only median
  --rounds N     override the rounds of every run
  --config FILE  the base experiment (default experiments/mnist-default.yaml)
  --json FILE    where the rows go (default bench/results/robust.json)
  --markdown     print a Markdown table (for docs/BENCHMARKS.md)
  --workers N    worker threads hosting the clients (default 2)
  --from FILE    print the table of an earlier run's JSON instead of running`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    attack: { type: 'string', multiple: true },
    only: { type: 'string', multiple: true },
    rounds: { type: 'string' },
    config: { type: 'string', default: 'experiments/mnist-default.yaml' },
    json: { type: 'string', default: 'bench/results/robust.json' },
    markdown: { type: 'boolean', default: false },
    workers: { type: 'string', default: '2' },
    from: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const fail = (message: string): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
};
const attacks = values.attack ?? (values.quick ? ['sign-flip'] : ['sign-flip', 'gaussian']);
for (const a of attacks) if (ATTACKS[a] === undefined) fail(`unknown --attack ${a}`);
const rounds = values.rounds !== undefined ? Number(values.rounds) : values.quick ? 10 : undefined;
if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) fail(`bad --rounds ${values.rounds}`);
const workers = Number(values.workers);
if (!(Number.isInteger(workers) && workers >= 1)) fail(`bad --workers ${values.workers}`);
const only = values.only;
const aggregators = only ? AGGREGATORS.filter((g) => only.some((o) => g.label.startsWith(o))) : AGGREGATORS;

/** One line of the table and one element of the JSON array. */
interface Row {
  readonly attack: string;
  readonly aggregator: string;
  readonly strategy: string;
  /** Rounds that completed (a failed run stops early). */
  readonly rounds: number;
  readonly status: string;
  /** Why the run failed, when it did. */
  readonly reason?: string;
  /** Test accuracy of the final global model (null when no round completed). */
  readonly finalAccuracy: number | null;
  /** The lowest test accuracy over the rounds. */
  readonly minAccuracy: number | null;
  readonly failedRounds: number;
  /** Final accuracy minus the honest-only run's, in percentage points (null for that run). */
  readonly vsHonestPp: number | null;
  readonly wallSeconds: number;
}

async function runScenario(s: Scenario): Promise<Omit<Row, 'vsHonestPp'>> {
  const { summary, wallSeconds } = await runExperiment(s.config, { workers, logLevel: 'error' });
  const acc = summary.records.map((r) => r.accuracy).filter((a): a is number => a !== null);
  return {
    attack: s.attack,
    aggregator: s.aggregator,
    strategy: JSON.stringify(s.config.strategy),
    rounds: summary.records.filter((r) => r.status === 'completed').length,
    status: summary.status,
    ...(summary.reason !== undefined && { reason: summary.reason }),
    finalAccuracy: summary.finalAccuracy,
    minAccuracy: acc.length > 0 ? Math.min(...acc) : null,
    failedRounds: summary.records.filter((r) => r.status !== 'completed').length,
    wallSeconds: Math.round(wallSeconds * 10) / 10,
  };
}

const pct = (a: number | null) => (a === null ? '–' : `${(100 * a).toFixed(2)}%`);

function table(rows: readonly Row[], md: boolean): string {
  const head = ['attack', 'aggregator', 'final accuracy', 'vs honest', 'lowest', 'rounds done', 'wall s'];
  const body = rows.map((r) => [
    r.attack,
    r.aggregator,
    pct(r.finalAccuracy),
    r.vsHonestPp === null ? '–' : `${r.vsHonestPp >= 0 ? '+' : ''}${r.vsHonestPp.toFixed(2)} pp`,
    pct(r.minAccuracy),
    `${r.rounds}${r.status === 'completed' ? '' : ` (run failed)`}`,
    r.wallSeconds.toFixed(0),
  ]);
  if (md) {
    const line = (cs: readonly string[]) => `| ${cs.join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...body.map(line)].join('\n');
  }
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const b of body) t.push(b);
  return t.toString();
}

const started = performance.now();
const done: Omit<Row, 'vsHonestPp'>[] = [];
if (values.from !== undefined) {
  done.push(...(JSON.parse(readFileSync(values.from, 'utf8')) as Omit<Row, 'vsHonestPp'>[]));
} else {
  const base = loadExperiment(values.config);
  const runs = scenarios(base, attacks, aggregators, rounds);
  process.stderr.write(
    `bench:robust: ${runs.length} runs of ${values.config} (${rounds ?? base.rounds} rounds, ` +
      `${base.clients.count} clients, ${base.clients.perRound ?? '?'} per round), attacks: ${attacks.join(', ')}\n`,
  );
  for (const [i, s] of runs.entries()) {
    const r = await runScenario(s);
    done.push(r);
    mkdirSync(dirname(values.json), { recursive: true });
    writeFileSync(values.json, `${JSON.stringify(done, null, 2)}\n`); // partial results survive a crash
    process.stderr.write(
      `  [${i + 1}/${runs.length}] ${s.attack} / ${s.aggregator}: ${pct(r.finalAccuracy)} ` +
        `(lowest ${pct(r.minAccuracy)}, ${r.status}) in ${r.wallSeconds.toFixed(0)} s\n`,
    );
  }
}
const honest = done.find((r) => r.attack === 'honest')?.finalAccuracy ?? null;
const rows: Row[] = done.map((r) => ({
  ...r,
  vsHonestPp:
    r.attack === 'honest' || honest === null || r.finalAccuracy === null
      ? null
      : 100 * (r.finalAccuracy - honest),
}));

console.log(table(rows, values.markdown));
console.log(
  `\nTarget (issue 7): the best robust aggregator within 2 pp of the honest-only run (${pct(honest)}).`,
);
for (const a of [...new Set(rows.map((r) => r.attack))].filter((x) => x !== 'honest')) {
  const robust = rows.filter((r) => r.attack === a && r.aggregator !== 'fedavg' && r.vsHonestPp !== null);
  const best = robust.reduce<Row | null>(
    (b, r) => (b === null || r.vsHonestPp! > b.vsHonestPp! ? r : b),
    null,
  );
  const fedavg = rows.find((r) => r.attack === a && r.aggregator === 'fedavg');
  console.log(
    `  ${a}: ${best === null ? 'no robust run' : `best ${best.aggregator} ${best.vsHonestPp!.toFixed(2)} pp → ${best.vsHonestPp! >= -2 ? 'met' : 'NOT met'}`}` +
      (fedavg ? `; fedavg ${pct(fedavg.finalAccuracy)}` : ''),
  );
}
const wall = (performance.now() - started) / 1000;
if (values.from !== undefined) process.exit(0);
console.log(
  `\n${rows.length} runs in ${wall.toFixed(0)} s (${(wall / 60).toFixed(1)} min); ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
mkdirSync(dirname(values.json), { recursive: true });
writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
console.log(`wrote ${rows.length} rows to ${values.json}`);
process.exit(0);
