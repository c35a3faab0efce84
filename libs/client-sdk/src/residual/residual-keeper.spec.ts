import { describe, expect, it } from '@jest/globals';
import type { ClientError } from '../errors.js';
import { ResidualKeeper } from './residual-keeper.js';
import { MemoryResidualStore, type ResidualStore } from './residual-store.js';

const key = { experimentId: 'e', clientId: 'c' };

function keeper(store?: ResidualStore) {
  const lines: string[] = [];
  const errors: ClientError[] = [];
  const log = {
    debug: () => {},
    info: (m: string) => lines.push(m),
    warn: (m: string) => lines.push(m),
    error: () => {},
  };
  return { k: new ResidualKeeper(store, log, (e) => errors.push(e)), lines, errors };
}

describe('ResidualKeeper', () => {
  it('keeps the residual across re-binds of the same key and layout (reconnects)', async () => {
    const { k } = keeper();
    await k.bind(key, 'L', 3);
    const memory = await k.ready();
    memory!.residual.set([1, 2, 3]);
    await k.bind(key, 'L', 3);
    expect(await k.ready()).toBe(memory);
  });

  it('resets on a layout change, says why, and saves the reset', async () => {
    const store = new MemoryResidualStore();
    const { k, lines } = keeper(store);
    await k.bind(key, 'L', 3);
    (await k.ready())!.residual.set([1, 2, 3]);
    k.save();
    await k.bind(key, 'M', 2);
    expect((await k.ready())!.residual).toEqual(new Float32Array(2));
    await k.flush();
    expect(await store.load(key)).toEqual({ fingerprint: 'M', values: new Float32Array(2) });
    expect(lines.some((l) => /layout changed.*reset to zero on purpose/.test(l))).toBe(true);
  });

  it('loads a matching stored residual, and ignores snapshots changed after save()', async () => {
    const store = new MemoryResidualStore();
    await store.save(key, { fingerprint: 'L', values: Float32Array.of(4, 5) });
    const { k } = keeper(store);
    await k.bind(key, 'L', 2);
    const memory = (await k.ready())!;
    expect(memory.residual).toEqual(Float32Array.of(4, 5));
    k.save();
    memory.residual.fill(9);
    await k.flush();
    expect((await store.load(key))!.values).toEqual(Float32Array.of(4, 5));
  });

  it('reports store failures and goes on from zero', async () => {
    const failing: ResidualStore = {
      load: () => Promise.reject(new Error('disk gone')),
      save: () => Promise.reject(new Error('disk full')),
    };
    const { k, errors } = keeper(failing);
    await k.bind(key, 'L', 2);
    expect((await k.ready())!.residual).toEqual(new Float32Array(2));
    k.save();
    await k.flush();
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['RESIDUAL_STORE', 'loading the residual of experiment e, client c failed: disk gone'],
      ['RESIDUAL_STORE', 'saving the residual failed: disk full'],
    ]);
  });
});
