import { afterEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { type Store, type StoreOptions, openStore } from '../store.js';

const dirs: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fedzip-store-'));
  dirs.push(dir);
  return dir;
}

/** Opens a store in a fresh temp folder (closed after the test); returns it with its path. */
export function tempStore(options: StoreOptions = {}): { store: Store; path: string } {
  const path = join(tempDir(), 'fedzip.db');
  return { store: track(openStore(path, options)), path };
}

/** Closes `store` after the test (closing twice is harmless). */
export function track(store: Store): Store {
  stores.push(store);
  return store;
}

/** Runs `fn`, which must throw a {@link StoreError}, and returns that error. */
export function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('expected a StoreError');
}

/** Deterministic weights that differ per `seed` (and are easy to find in a file). */
export function weightsFor(seed: number, length = 2048): Float32Array {
  const w = new Float32Array(length);
  for (let i = 0; i < length; i++) w[i] = Math.sin(seed * 1000 + i) * 0.5 + seed;
  return w;
}

/** Bit-level equality of two float arrays (NaN payloads and -0 included). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return x.every((v, i) => v === y[i]);
}
