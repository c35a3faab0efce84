import { performance } from 'node:perf_hooks';

/** How many times to run a measured operation. */
export interface RepPlan {
  /** Untimed runs first, so V8 has compiled and optimised the kernels (JIT warm-up). */
  readonly warmup: number;
  /** Timed runs at least. */
  readonly minReps: number;
  /** Keep timing until this many seconds have been spent (bounded by `maxReps`). */
  readonly minSeconds: number;
  readonly maxReps: number;
}

/** The median of `xs` (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >>> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time in seconds of `fn()` over the repetitions of `plan`, after its warm-up. */
export function timeMedian(fn: () => void, plan: RepPlan): number {
  for (let i = 0; i < plan.warmup; i++) fn();
  const times: number[] = [];
  let spent = 0;
  while (times.length < plan.minReps || (spent < plan.minSeconds && times.length < plan.maxReps)) {
    const t0 = performance.now();
    fn();
    const dt = (performance.now() - t0) / 1000;
    times.push(dt);
    spent += dt;
  }
  return median(times);
}

/** Throughput in MB/s (10^6 bytes) of float32 input: 4n bytes in `seconds`. */
export function mbps(n: number, seconds: number): number {
  return (4 * n) / seconds / 1e6;
}
