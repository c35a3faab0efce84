import { describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { backendInfo, initBackend } from './backend.js';
import { ModelError } from './errors.js';

describe('initBackend', () => {
  it('uses wasm by default, with SIMD, and is idempotent', async () => {
    const info = await initBackend();
    expect(info).toMatchObject({ name: 'wasm', requested: 'wasm' });
    expect(info.fallbackReason).toBeUndefined();
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(typeof info.simd).toBe('boolean');
    expect(tf.getBackend()).toBe('wasm');
    expect(await initBackend()).toBe(info);
    expect(backendInfo()).toBe(info);
  });

  it('switches to cpu and back on request', async () => {
    const cpu = await initBackend({ prefer: 'cpu' });
    expect(cpu).toMatchObject({ name: 'cpu', requested: 'cpu', simd: false });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend({ prefer: 'wasm' });
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('computes on wasm', async () => {
    await initBackend();
    const t = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
    expect(Array.from(await t.data())).toEqual([19, 22, 43, 50]);
    t.dispose();
  });

  it('rejects bad options', async () => {
    await expect(initBackend({ prefer: 'webgl' as 'wasm' })).rejects.toThrow(ModelError);
    await expect(initBackend({ threads: 0 })).rejects.toThrow(/threads/);
  });
});
