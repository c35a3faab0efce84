/** Portable timing helpers (`performance` and `setTimeout` exist in Node and browsers). */

/** Milliseconds from a monotonic clock. */
export function now(): number {
  return performance.now();
}

/**
 * Resolves after pending I/O callbacks had a chance to run. tfjs's cpu and wasm backends resolve
 * `data()` with microtasks only, so a training loop never lets socket events in by itself.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
