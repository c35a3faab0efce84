/**
 * `npm run bench:train [-- --quick] [-- --json <file>]`: milliseconds per training sample of the
 * model zoo on tfjs's wasm backend (with fedzip's gradient kernels) beside the pure-JS cpu backend,
 * in the same run, on synthetic 28×28×1 data in batches of 32. Each figure is the median batch time
 * over several timed steps after untimed warm-up steps, divided by the batch size. Informational:
 * it exits 0 whether or not the target (cnn under 8 ms per sample on wasm, issue #3) holds.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { createRng } from '@fedzip/codec';
import {
  type BackendName,
  type ModelConfig,
  type TrainingData,
  createModel,
  describeModel,
  initBackend,
  profileKernels,
  trainLocal,
} from '@fedzip/model';

const USAGE = `usage: node dist/bench/train/main.js [--quick] [--json <file>] [--markdown] [--profile]
                                       [--model <name>]... [--backend wasm|cpu]...
  --quick      fewer steps; every model and backend still runs. The cpu backend needs about a
               minute per step of the McMahan cnn, so a full run takes ~3 minutes, --quick ~1.5
  --json FILE  also write the rows as a JSON array to FILE
  --markdown   print a Markdown table instead of box drawing
  --profile    also print the kernels that dominate one cnn step on wasm
  --model      these models (repeatable; default mlp, 2nn, cnn, cnn-student; also cnn-fc128)
  --backend    only these backends (repeatable; default: wasm and cpu)`;

/** The models measured, by the name used on the command line and in the table. */
const MODELS: Readonly<Record<string, ModelConfig>> = {
  mlp: { kind: 'mlp', hidden: [128] },
  '2nn': { kind: '2nn' },
  cnn: { kind: 'cnn' },
  'cnn-fc128': { kind: 'cnn', filters: [32, 64], dense: 128 },
  'cnn-student': { kind: 'cnn', filters: [8, 16], dense: 64 },
};
/** cnn-fc128 (the CNN measured in shared/REFERENCES.md) costs 2 more minutes on cpu: opt-in. */
const DEFAULT_MODELS = ['mlp', '2nn', 'cnn', 'cnn-student'];
const BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];
const BATCH = 32;
const TARGET_MS = 8;

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    markdown: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    model: { type: 'string', multiple: true },
    backend: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const models = values.model ?? DEFAULT_MODELS;
const backends = (values.backend ?? BACKENDS) as BackendName[];
for (const m of models) {
  if (MODELS[m] === undefined) {
    console.error(`unknown --model ${m} (allowed: ${Object.keys(MODELS).join(', ')})`);
    process.exit(2);
  }
}
for (const b of backends) {
  if (!BACKENDS.includes(b)) {
    console.error(`unknown --backend ${b} (allowed: ${BACKENDS.join(', ')})`);
    process.exit(2);
  }
}
const quick = values.quick;

/**
 * Samples of untimed warm-up (JIT, XNNPACK operator setup) and timed steps of {@link BATCH}. The
 * pure-JS cpu backend takes seconds to a minute per CNN step (its Conv2DBackpropFilter is a naive
 * loop), so there it warms up on one batch of 4 and times fewer steps.
 */
function plan(backend: BackendName, config: ModelConfig): { warmupSamples: number; steps: number } {
  if (backend === 'cpu' && config.kind === 'cnn') return { warmupSamples: 4, steps: quick ? 1 : 2 };
  return quick ? { warmupSamples: 2 * BATCH, steps: 5 } : { warmupSamples: 3 * BATCH, steps: 15 };
}

/** One line of the table, and one element of the `--json` array. */
interface Row {
  readonly model: string;
  readonly description: string;
  readonly params: number;
  readonly backend: BackendName;
  readonly batchSize: number;
  readonly steps: number;
  /** Median milliseconds per step over the timed steps. */
  readonly msPerBatch: number;
  /** `msPerBatch / batchSize`. */
  readonly msPerSample: number;
  /** Every timed step, in milliseconds. */
  readonly batchMs: readonly number[];
  /**
   * Median process CPU time (user + system) per sample, in milliseconds: less sensitive than wall
   * time to other processes competing for the cores.
   */
  readonly processMsPerSample: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >>> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Uniform pixels in [0, 1) and uniform labels: training speed does not depend on the content. */
function syntheticDigits(n: number, seed: number): TrainingData {
  const rng = createRng(seed);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextFloat();
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.nextUint32() % 10;
  return { x, y, n, shape: [28, 28, 1], numClasses: 10 };
}

async function measure(name: string, backend: BackendName): Promise<Row> {
  const config = MODELS[name]!;
  const { warmupSamples, steps } = plan(backend, config);
  await initBackend({ prefer: backend });
  const model = createModel(config, { shape: [28, 28, 1], numClasses: 10 }, { seed: 1 });
  const options = { optimizer: 'sgd' as const, lr: 0.01, batchSize: BATCH, epochs: 1 };
  await trainLocal(model, syntheticDigits(warmupSamples, 2), options);
  const batchMs: number[] = [];
  const processMs: number[] = [];
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t = performance.now();
  let c = cpuMs();
  await trainLocal(model, syntheticDigits(steps * BATCH, 3), {
    ...options,
    onBatch: () => {
      const now = performance.now();
      const used = cpuMs();
      batchMs.push(now - t);
      processMs.push(used - c);
      t = now;
      c = used;
    },
  });
  const params = model.countParams();
  model.dispose();
  const msPerBatch = median(batchMs);
  return {
    model: name,
    description: describeModel(config),
    params,
    backend,
    batchSize: BATCH,
    steps,
    msPerBatch,
    msPerSample: msPerBatch / BATCH,
    batchMs,
    processMsPerSample: median(processMs) / BATCH,
  };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const started = Date.now();
const wasmInfo = backends.includes('wasm') ? await initBackend({ prefer: 'wasm' }) : undefined;
console.log(
  `fedzip training benchmark${quick ? ' (quick)' : ''}: node ${process.version}, ${os.cpus().length} cpus ` +
    `(${os.cpus()[0]?.model ?? 'unknown'}), load ${load()}` +
    (wasmInfo
      ? `; wasm ${wasmInfo.name === 'wasm' ? `simd ${wasmInfo.simd}, ${wasmInfo.threads} thread(s)` : `unavailable: ${wasmInfo.fallbackReason}`}`
      : ''),
);

// The first model measured would otherwise also pay for V8 compiling tfjs's JS paths.
for (const backend of backends) {
  await initBackend({ prefer: backend });
  const model = createModel(MODELS['mlp']!, { shape: [28, 28, 1], numClasses: 10 }, { seed: 1 });
  await trainLocal(model, syntheticDigits(10 * BATCH, 1), { lr: 0.01, batchSize: BATCH });
  model.dispose();
}

const rows: Row[] = [];
for (const name of models) {
  for (const backend of backends) {
    const row = await measure(name, backend);
    rows.push(row);
    process.stderr.write(
      `  ${name} on ${backend}: ${row.msPerSample.toFixed(2)} ms/sample (median of ${row.steps} steps)\n`,
    );
  }
}

const msOf = (model: string, backend: BackendName): number | undefined =>
  rows.find((r) => r.model === model && r.backend === backend)?.msPerSample;
const head = [
  'model',
  'params',
  'wasm ms/sample',
  'cpu ms/sample',
  'cpu / wasm',
  'wasm process ms/sample',
  'steps (wasm, cpu)',
];
const body = models.map((m) => {
  const w = msOf(m, 'wasm');
  const c = msOf(m, 'cpu');
  const r = rows.find((x) => x.model === m)!;
  return [
    `${m} ${r.description}`,
    r.params.toLocaleString('en-US'),
    w === undefined ? '–' : w.toFixed(2),
    c === undefined ? '–' : c.toFixed(2),
    w === undefined || c === undefined ? '–' : `${(c / w).toFixed(1)}×`,
    rows.find((x) => x.model === m && x.backend === 'wasm')?.processMsPerSample.toFixed(2) ?? '–',
    backends.map((b) => rows.find((x) => x.model === m && x.backend === b)?.steps ?? '–').join(', '),
  ];
});
if (values.markdown) {
  const line = (cs: readonly string[]): string => `| ${cs.join(' | ')} |`;
  console.log([line(head), line(head.map(() => '---')), ...body.map(line)].join('\n'));
} else {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const b of body) table.push(b);
  console.log(table.toString());
}
const cnnWasm = msOf('cnn', 'wasm');
if (cnnWasm !== undefined) {
  console.log(
    `target (issue #3): cnn under ${TARGET_MS} ms per sample on wasm: ${cnnWasm.toFixed(2)} ms, ` +
      (cnnWasm < TARGET_MS ? 'pass' : 'FAIL'),
  );
}

if (values.profile && backends.includes('wasm')) {
  await initBackend({ prefer: 'wasm' });
  const config = MODELS['cnn']!;
  const model = createModel(config, { shape: [28, 28, 1], numClasses: 10 }, { seed: 1 });
  const step = (seed: number) =>
    trainLocal(model, syntheticDigits(BATCH, seed), { lr: 0.01, batchSize: BATCH, epochs: 1 });
  await step(4);
  const kernels = await profileKernels(() => step(5));
  model.dispose();
  const total = kernels.reduce((s, k) => s + k.ms, 0);
  console.log(
    `\nkernels of one ${describeModel(config)} step on wasm (batch ${BATCH}), ${total.toFixed(0)} ms in kernels:`,
  );
  for (const k of kernels.slice(0, 12)) {
    console.log(
      `  ${k.name.padEnd(24)} ${k.ms.toFixed(1).padStart(8)} ms  ${((100 * k.ms) / total).toFixed(0).padStart(3)}%  (${k.calls} calls)`,
    );
  }
}

console.log(
  `\n${rows.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s; medians per step / ${BATCH}; ` +
    `load now ${load()}. Wall times are noisy when other processes compete for the cores; ` +
    'process time (CPU time of this process) much less so.',
);
if (values.json !== undefined) {
  writeFileSync(values.json, `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`wrote ${rows.length} rows to ${values.json}`);
}
