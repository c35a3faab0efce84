/**
 * Backend setup: tfjs's wasm backend (XNNPACK, SIMD) in Node and in browsers, with this library's
 * gradient kernels registered, and the pure-JS cpu backend as a fallback that logs a warning.
 * `@tensorflow/tfjs-node` is not used: its install step downloads libtensorflow.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { check } from './errors.js';
import { registerWasmKernels } from './kernels/wasm-kernels.js';

/** The backends this library runs on. */
export type BackendName = 'wasm' | 'cpu';

/** Options of {@link initBackend}. */
export interface BackendOptions {
  /** The backend to use; `'wasm'` (default) falls back to `'cpu'` when it cannot initialise. */
  prefer?: BackendName;
  /**
   * XNNPACK threads for the wasm backend. Browsers only (needs cross-origin isolation); tfjs runs
   * wasm single-threaded in Node. Takes effect only on the first wasm initialisation.
   */
  threads?: number;
  /**
   * Where the `.wasm` binaries live: a directory path or URL prefix ending in `/`. In Node the
   * default is the package's own `dist/` folder; in browsers, tfjs's default (next to the script).
   */
  wasmPath?: string;
  /** Receives the fallback warning. Default `console.warn`. */
  warn?: (message: string) => void;
}

/** What {@link initBackend} set up. */
export interface BackendInfo {
  /** The backend now active. */
  readonly name: BackendName;
  /** The backend that was asked for. */
  readonly requested: BackendName;
  /** Whether the wasm binary in use has SIMD (false on cpu). */
  readonly simd: boolean;
  /** Threads the backend computes with. */
  readonly threads: number;
  /** Why wasm was not used although asked for; absent when the request was met. */
  readonly fallbackReason?: string;
}

let wasmInit: Promise<string | undefined> | undefined;
let current: BackendInfo | undefined;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/**
 * The folder holding tfjs-backend-wasm's `.wasm` files, resolved from this module (Node only), or
 * undefined when it cannot be resolved (a bundle, say): tfjs then looks next to its own script.
 */
async function nodeWasmDir(): Promise<string | undefined> {
  try {
    const [{ createRequire }, path] = await Promise.all([import('node:module'), import('node:path')]);
    const require = createRequire(import.meta.url);
    const pkg = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    return path.join(path.dirname(pkg), 'dist') + path.sep;
  } catch {
    return undefined;
  }
}

/** Initialises wasm once; resolves to the reason it failed, or undefined on success. */
async function initWasm(options: BackendOptions): Promise<string | undefined> {
  try {
    registerWasmKernels();
    if (tf.findBackendFactory('wasm') == null) return 'the wasm backend is not registered';
    const prefix = options.wasmPath ?? (isNode() ? await nodeWasmDir() : undefined);
    if (prefix !== undefined) setWasmPaths(prefix);
    if (options.threads !== undefined) setThreadsCount(options.threads);
    const ok = await tf.setBackend('wasm');
    return ok ? undefined : 'tf.setBackend("wasm") failed (see the message above)';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The cpu backend greets Node users with advice to install tfjs-node, which cannot be installed here. */
function quietCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu !== null && 'firstUse' in cpu) cpu.firstUse = false;
}

/**
 * Makes `prefer` (default `'wasm'`) the active tfjs backend and registers the wasm gradient kernels
 * (see `kernels/wasm-kernels.ts`). When wasm cannot initialise, logs a warning and uses `'cpu'`.
 *
 * Idempotent: repeated calls return the same answer without re-initialising, and a call with the
 * other `prefer` switches between the two backends (both stay initialised). A wasm failure is
 * remembered; later calls fall back at once.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const requested = options.prefer ?? 'wasm';
  check(requested === 'wasm' || requested === 'cpu', 'BAD_OPTION', `unknown backend ${String(requested)}`);
  check(
    options.threads === undefined || (Number.isInteger(options.threads) && options.threads >= 1),
    'BAD_OPTION',
    `threads must be a positive integer, got ${options.threads}`,
  );
  if (current !== undefined && current.requested === requested && tf.getBackend() === current.name) {
    return current;
  }
  quietCpuBanner();
  let fallbackReason: string | undefined;
  if (requested === 'wasm') {
    wasmInit ??= initWasm(options);
    fallbackReason = await wasmInit;
    if (fallbackReason === undefined) {
      await tf.setBackend('wasm');
      current = {
        name: 'wasm',
        requested,
        simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
        threads: Math.max(1, getThreadsCount()),
      };
      return current;
    }
    (options.warn ?? console.warn)(
      `fedzip: the tfjs wasm backend could not initialise (${fallbackReason}); ` +
        'falling back to the cpu backend, which trains several times slower.',
    );
  }
  await tf.setBackend('cpu');
  current = {
    name: 'cpu',
    requested,
    simd: false,
    threads: 1,
    ...(fallbackReason ? { fallbackReason } : {}),
  };
  return current;
}

/** The backend {@link initBackend} last set up, or undefined before the first call. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/** Time spent in one kernel (summed over its calls) during {@link profileKernels}. */
export interface KernelTime {
  /** Kernel name, e.g. `Conv2DBackpropFilter`. */
  readonly name: string;
  /** Summed kernel milliseconds. */
  readonly ms: number;
  /** Number of calls. */
  readonly calls: number;
}

/**
 * Runs `f` under `tf.profile` and returns the time per kernel, largest first: what dominates a
 * training step. `f` must dispose what it makes.
 */
export async function profileKernels(f: () => unknown): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    await f();
  });
  const byName = new Map<string, { ms: number; calls: number }>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls++;
    byName.set(k.name, entry);
  }
  return [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
}
