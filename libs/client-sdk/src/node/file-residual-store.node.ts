/**
 * A {@link ResidualStore} in files, for Node clients whose residual must survive a process restart
 * (`fedzip client`). One file per (experiment, client): the magic `FZR1`, u32 fingerprint length,
 * the fingerprint (UTF-8), u32 n, then n float32 values, little-endian. Writes go to a temporary
 * file that is renamed over the old one, so a crash never leaves half a residual.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResidualKey, ResidualStore, StoredResidual } from '../residual/residual-store.js';

const MAGIC = 'FZR1';

/** Residuals as files in one directory (created on the first save). */
export class FileResidualStore implements ResidualStore {
  private seq = 0;

  constructor(readonly dir: string) {}

  /** The file of a key. `+` never survives encodeURIComponent, so it separates unambiguously. */
  fileOf(key: ResidualKey): string {
    return join(
      this.dir,
      `${encodeURIComponent(key.experimentId)}+${encodeURIComponent(key.clientId)}.residual`,
    );
  }

  async load(key: ResidualKey): Promise<StoredResidual | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.fileOf(key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const bad = (why: string): never => {
      throw new Error(`${this.fileOf(key)} is not a residual file: ${why}`);
    };
    if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== MAGIC) bad('bad magic');
    const fpBytes = bytes.readUInt32LE(4);
    if (8 + fpBytes + 4 > bytes.length) bad('truncated fingerprint');
    const fingerprint = bytes.toString('utf8', 8, 8 + fpBytes);
    const n = bytes.readUInt32LE(8 + fpBytes);
    const start = 12 + fpBytes;
    if (bytes.length !== start + 4 * n) bad(`expected ${n} values`);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = bytes.readFloatLE(start + 4 * i);
    return { fingerprint, values };
  }

  async save(key: ResidualKey, residual: StoredResidual): Promise<void> {
    const fp = Buffer.from(residual.fingerprint, 'utf8');
    const n = residual.values.length;
    const out = Buffer.alloc(12 + fp.length + 4 * n);
    out.write(MAGIC, 0, 'latin1');
    out.writeUInt32LE(fp.length, 4);
    fp.copy(out, 8);
    out.writeUInt32LE(n, 8 + fp.length);
    const start = 12 + fp.length;
    for (let i = 0; i < n; i++) out.writeFloatLE(residual.values[i]!, start + 4 * i);
    await mkdir(this.dir, { recursive: true });
    const file = this.fileOf(key);
    const tmp = `${file}.${process.pid}.${this.seq++}.tmp`;
    await writeFile(tmp, out);
    await rename(tmp, file);
  }
}
