/**
 * `npm run bench:codec [-- --quick] [-- --json <file>]`: throughput, size and error of the codec
 * pipelines on seeded Gaussian and Laplace inputs of 1M and 10M values, with memcpy measured in
 * the same run for scale, and a check of the targets of issue #2 (section 4). Informational: it
 * exits 0 whether or not the targets hold.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DISTS, type Dist, makeInput } from './inputs.js';
import { formatRows, formatTargets, writeJson } from './report.js';
import { type Row, type RowPlans, SPECS, runRow } from './rows.js';
import { checkTargets } from './targets.js';
import { warmUp } from './warmup.js';

const USAGE = `usage: node dist/bench/codec/main.js [--quick] [--json <file>] [--markdown]
                                       [--codec <spec>]... [--dist gaussian|laplace]... [--n <count>]...
  --quick      1M values only, fewer repetitions (under a minute); still every target row
  --json FILE  also write the rows as a JSON array to FILE
  --markdown   print Markdown tables instead of box drawing
  --codec      run only these pipelines (repeatable; default: all)
  --dist       only these input distributions (repeatable; default: gaussian and laplace)
  --n          only these input sizes (repeatable; default: 1M and 10M, 1M with --quick)`;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    codec: { type: 'string', multiple: true },
    dist: { type: 'string', multiple: true },
    n: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const quick = values.quick;
const specs = values.codec ?? SPECS;
const dists = (values.dist ?? DISTS) as Dist[];
for (const d of dists) {
  if (!DISTS.includes(d)) {
    console.error(`unknown --dist ${d} (allowed: ${DISTS.join(', ')})`);
    process.exit(2);
  }
}
const sizes = values.n ? values.n.map(Number) : quick ? [1_000_000] : [1_000_000, 10_000_000];
if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) {
  console.error('--n needs positive integers');
  process.exit(2);
}

/** Repetitions: medians over several timed runs after an untimed warm-up (JIT). */
function plansFor(n: number): RowPlans {
  const big = n > 2_000_000;
  return {
    codec: quick
      ? { warmup: 2, minReps: 7, minSeconds: 0.2, maxReps: 21 }
      : big
        ? { warmup: 2, minReps: 7, minSeconds: 1, maxReps: 21 }
        : { warmup: 3, minReps: 11, minSeconds: 0.5, maxReps: 61 },
    memcpy: { warmup: 3, minReps: 15, minSeconds: 0.02, maxReps: 101 },
  };
}

const started = Date.now();
console.log(
  `fedzip codec benchmark${quick ? ' (quick)' : ''}: node ${process.version}, ${os.cpus().length} cpus ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}), load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
warmUp(specs);

const rows: Row[] = [];
for (const n of sizes) {
  const scratch = { copy: new Float32Array(n), sum: new Float32Array(n) };
  for (const dist of dists) {
    const x = makeInput(dist, n, n ^ (dist === 'gaussian' ? 1 : 2));
    for (const spec of specs) {
      const row = runRow(spec, dist, x, scratch, plansFor(n));
      rows.push(row);
      if (!values.markdown) {
        process.stderr.write(
          `  ${spec} ${dist} ${n}: encode ${row.encodeMBps.toFixed(0)}, dec+acc ${row.decodeMBps.toFixed(0)} MB/s\n`,
        );
      }
    }
  }
}

console.log(formatRows(rows, values.markdown));
console.log('\nTargets (issue #2, section 4); medians, each judged on its worst input:');
console.log(formatTargets(checkTargets(rows), values.markdown));
console.log(
  `\n${rows.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s; MB = 10^6 bytes of float32 input; ` +
    `load now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
if (values.json !== undefined) {
  writeJson(values.json, rows);
  console.log(`wrote ${rows.length} rows to ${values.json}`);
}
