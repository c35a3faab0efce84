/**
 * A small on-disk cache of trained models, one directory per key (`artifactKeys(config)` hashes),
 * written to a temporary sibling and renamed into place so that a crash never leaves a half-written
 * entry that later looks valid. Node only; the Node modules are imported lazily.
 */
import type * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '../file-io.js';

async function node() {
  const [fs, path] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  return { fs, path };
}

/** The directory of an entry: `<root>/<kind>/<key>`. */
export async function entryDir(root: string, kind: string, key: string): Promise<string> {
  const { path } = await node();
  return path.join(root, kind, key);
}

/** Whether an entry is complete (its marker file exists). */
export async function hasEntry(dir: string): Promise<boolean> {
  const { fs, path } = await node();
  try {
    await fs.access(path.join(dir, 'complete'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes an entry: `fill(tmp)` writes its files into a fresh temporary directory, which then
 * replaces `dir` (any older entry is removed first).
 */
export async function writeEntry(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const { fs, path } = await node();
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
    await fs.writeFile(path.join(tmp, 'complete'), '');
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Saves `model` in tfjs format under `<dir>/<name>`. */
export async function saveModelAt(model: tf.LayersModel, dir: string, name: string): Promise<void> {
  const { path } = await node();
  await saveModel(model, path.join(dir, name));
}

/** Loads the tfjs model saved under `<dir>/<name>`. */
export async function loadModelAt(dir: string, name: string): Promise<tf.LayersModel> {
  const { path } = await node();
  return loadModel(path.join(dir, name));
}

/** Writes a binary file `<dir>/<name>`. */
export async function writeBinary(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  const { fs, path } = await node();
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, name), bytes);
}

/** Reads a binary file `<dir>/<name>`. */
export async function readBinary(dir: string, name: string): Promise<Uint8Array> {
  const { fs, path } = await node();
  const b = await fs.readFile(path.join(dir, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Writes `<dir>/<name>` as pretty JSON. */
export async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  const { fs, path } = await node();
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, name), `${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** Reads `<dir>/<name>` as JSON. */
export async function readJson(dir: string, name: string): Promise<unknown> {
  const { fs, path } = await node();
  return JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as unknown;
}
