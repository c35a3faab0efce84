import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { FileResidualStore } from './file-residual-store.node.js';

describe('FileResidualStore', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  async function store(): Promise<FileResidualStore> {
    const dir = await mkdtemp(join(tmpdir(), 'fedzip-residual-'));
    dirs.push(dir);
    return new FileResidualStore(join(dir, 'nested'));
  }

  it('round-trips residuals per key, exactly, without leaving temporary files', async () => {
    const s = await store();
    const a = { experimentId: 'exp:1', clientId: 'c+1' };
    const b = { experimentId: 'exp', clientId: '1+c+1' };
    const values = Float32Array.of(0.1, -2.5e-8, 3, Number.MAX_VALUE);
    expect(await s.load(a)).toBeUndefined();
    await s.save(a, { fingerprint: 'dense1/kernel[2,2];ünïcode', values });
    await s.save(b, { fingerprint: 'x', values: new Float32Array(0) });
    expect(await s.load(a)).toEqual({ fingerprint: 'dense1/kernel[2,2];ünïcode', values });
    expect(await s.load(b)).toEqual({ fingerprint: 'x', values: new Float32Array(0) });
    expect((await readdir(s.dir)).sort()).toHaveLength(2);
  });

  it('refuses a file that is not a residual', async () => {
    const s = await store();
    const key = { experimentId: 'e', clientId: 'c' };
    await s.save(key, { fingerprint: 'f', values: Float32Array.of(1) });
    await writeFile(s.fileOf(key), 'garbage garbage');
    await expect(s.load(key)).rejects.toThrow(/not a residual file/);
  });
});
