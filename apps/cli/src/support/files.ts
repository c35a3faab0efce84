import { readFile, writeFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { CliError } from './errors.js';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Reads a whole file; file-system failures become one-line {@link CliError}s. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new CliError(`cannot read '${path}': ${reason(err)}`);
  }
}

/** Writes a whole file, replacing it; file-system failures become one-line {@link CliError}s. */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw new CliError(`cannot write '${path}': ${reason(err)}`);
  }
}

/** Reads a `.f32` file: raw little-endian float32 values, so its size must be a multiple of 4. */
export async function readF32(path: string): Promise<Float32Array> {
  const bytes = await readBytes(path);
  if (bytes.length % 4 !== 0) {
    throw new CliError(
      `'${path}' has ${bytes.length} bytes, which is not a whole number of float32 values (a multiple of 4)`,
    );
  }
  const out = new Float32Array(bytes.length / 4);
  if (LITTLE_ENDIAN_HOST) {
    new Uint8Array(out.buffer).set(bytes); // copy: the file buffer may not be 4-byte aligned
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  }
  return out;
}

/** Writes `x` as a `.f32` file (raw little-endian float32). */
export async function writeF32(path: string, x: Float32Array): Promise<void> {
  let bytes = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (!LITTLE_ENDIAN_HOST) {
    bytes = new Uint8Array(x.byteLength);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < x.length; i++) view.setFloat32(4 * i, x[i]!, true);
  }
  await writeBytes(path, bytes);
}

/** `ENOENT: no such file or directory, open 'x'` → `no such file or directory (ENOENT)`. */
function reason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  const text = err.message.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '');
  return code ? `${text} (${code})` : text;
}
