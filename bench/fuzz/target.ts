/**
 * The coordinator under fuzz, as a child process: `node dist/bench/fuzz/target.js '<json options>'`.
 * It hosts one experiment over a plain vector "model" (no tfjs; {@link fuzzExperiment}) on
 * loopback, prints `READY <url>` on stdout, samples its own memory every 20 ms, and when the
 * experiment ends prints `RESULT <json>` ({@link TargetResult}) and exits 0. A crash exits
 * non-zero without a RESULT line.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseExperiment } from '@fedzip/config';
import { type ExperimentSetup, startCoordinator } from '../../apps/coordinator/src/index.js';

/** Options of the target, passed as one JSON argument. */
export interface TargetOptions {
  /** Parameters of the vector model (default 2000). */
  readonly params?: number;
  /** Rounds of the experiment (default 6). */
  readonly rounds?: number;
  /** Honest clients (default 2): every round selects every connected client and needs them all. */
  readonly honest?: number;
  /** The gateway's per-connection rate limits (see apps/coordinator/src/gateway/rate-limit.ts). */
  readonly rateLimit?: Record<string, number>;
}

/** What the target prints at the end. */
export interface TargetResult {
  readonly status: string;
  readonly rounds: number;
  readonly version: number;
  /** SHA-256 of the final global model's bytes. */
  readonly sha256: string;
  readonly records: readonly {
    round: number;
    status: string;
    accepted: number;
    rejected: Record<string, number>;
  }[];
  /** Peak resident set size, V8 heap used, and external + array buffer memory, in bytes. */
  readonly peak: { readonly rss: number; readonly heapUsed: number; readonly external: number };
  /** Memory after start-up, before any client joined. */
  readonly baseline: { readonly rss: number; readonly heapUsed: number };
  /** The Prometheus text of `/metrics` just before exit (the `fedzip_` lines). */
  readonly metrics: string;
  readonly wallMs: number;
}

/** The experiment under fuzz: fraction 1 (every connected client is selected), all honest ones needed. */
export function fuzzExperiment(o: TargetOptions): ExperimentSetup {
  const n = o.params ?? 2000;
  const honest = o.honest ?? 2;
  const target = new Float32Array(n).map((_, i) => Math.sin(i));
  const config = parseExperiment({
    name: 'fuzz',
    rounds: o.rounds ?? 6,
    clients: {
      count: honest,
      fraction: 1,
      minResults: honest,
      deadlineSeconds: 30,
      maxRetries: 0,
      sampleCount: { min: 1, max: 1000 },
    },
    compression: { uplink: 'topk:0.2+q8', errorFeedback: true, downlink: 'topk:0.5+q8', downlinkFull: 'q8' },
    robustness: { normBound: { multiple: 3, action: 'reject', minCount: honest } },
  });
  return {
    id: 'fuzz',
    config,
    architecture: { model: { kind: 'vector' }, inputShape: [n], numClasses: 1 },
    layout: [{ name: 'w', shape: [n] }],
    initialWeights: new Float32Array(n),
    joinToken: 'fuzz-join-token',
    adminToken: 'fuzz-admin-token-0123456789',
    evaluate: async (w) => {
      let d = 0;
      for (let i = 0; i < n; i++) d += (w[i]! - target[i]!) ** 2;
      return { accuracy: 1 / (1 + Math.sqrt(d)), loss: Math.sqrt(d) };
    },
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const options = JSON.parse(process.argv[2] ?? '{}') as TargetOptions;
  const setup = fuzzExperiment(options);
  const coordinator = await startCoordinator(setup, {
    logLevel: 'silent',
    logger: false,
    ...(options.rateLimit && { rateLimit: options.rateLimit }),
  });
  const peak = { rss: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external + m.arrayBuffers);
  };
  const baseline = process.memoryUsage();
  sample();
  const sampler = setInterval(sample, 20);
  process.stdout.write(`READY ${coordinator.url}\n`);
  const summary = await coordinator.run();
  sample();
  clearInterval(sampler);
  const metrics = (await (await fetch(`${coordinator.url}/metrics`)).text())
    .split('\n')
    .filter((l) => l.startsWith('fedzip_'))
    .join('\n');
  await coordinator.close();
  const w = summary.weights;
  const result: TargetResult = {
    status: summary.status,
    rounds: summary.rounds,
    version: summary.version,
    sha256: createHash('sha256')
      .update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength))
      .digest('hex'),
    records: summary.records.map((r) => ({
      round: r.round,
      status: r.status,
      accepted: r.accepted,
      rejected: r.rejected,
    })),
    peak,
    baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed },
    metrics,
    wallMs: performance.now() - started,
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
