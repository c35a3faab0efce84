import { describe, expect, it } from '@jest/globals';
import { labelHistogram } from '../dataset.js';
import { DataError } from '../errors.js';
import { MNIST_PIXELS, loadMnist } from './mnist-loader.js';
import { loadMnistSplits } from './mnist-splits.js';

describe('loadMnistSplits', () => {
  it('defaults to 2,000 test, 2,000 proxy and 6,000 client digits, disjoint and covering', () => {
    const s = loadMnistSplits();
    expect([s.test.n, s.proxy.n, s.clients.n]).toEqual([2000, 2000, 6000]);
    const all = [...s.indices.test, ...s.indices.proxy, ...s.indices.clients];
    expect(new Set(all).size).toBe(10_000);
    expect(s.clients.x.length).toBe(6000 * MNIST_PIXELS);
  });

  it('copies the right digits and stratifies: every part holds every digit in proportion', () => {
    const s = loadMnistSplits({ seed: 3 });
    const mnist = loadMnist();
    const total = labelHistogram(mnist);
    for (const [part, idx] of [
      [s.test, s.indices.test],
      [s.proxy, s.indices.proxy],
      [s.clients, s.indices.clients],
    ] as const) {
      const i = idx[17]!;
      expect(part.y[17]).toBe(mnist.y[i]);
      expect(part.x.subarray(17 * MNIST_PIXELS, 18 * MNIST_PIXELS)).toEqual(
        mnist.x.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS),
      );
      labelHistogram(part).forEach((c, digit) =>
        expect(Math.abs(c - (part.n * total[digit]!) / 10_000)).toBeLessThanOrEqual(2),
      );
    }
  });

  it('is deterministic by seed', () => {
    const a = loadMnistSplits({ seed: 1 });
    expect(loadMnistSplits({ seed: 1 }).indices).toEqual(a.indices);
    expect(loadMnistSplits({ seed: 2 }).indices.test).not.toEqual(a.indices.test);
  });

  it('takes custom sizes, clients defaulting to the rest', () => {
    const s = loadMnistSplits({ testSize: 1000, proxySize: 500 });
    expect([s.test.n, s.proxy.n, s.clients.n]).toEqual([1000, 500, 8500]);
    const t = loadMnistSplits({ testSize: 100, proxySize: 100, clientSize: 300 });
    expect([t.test.n, t.proxy.n, t.clients.n]).toEqual([100, 100, 300]);
  });

  it('rejects sizes beyond the 10,000 digits with a clear message', () => {
    expect(() => loadMnistSplits({ testSize: 6000, proxySize: 5000 })).toThrow(
      /test 6000 \+ proxy 5000 \+ clients 0 = 11000 exceeds the 10000 digits/,
    );
    expect(() => loadMnistSplits({ clientSize: 7000 })).toThrow(DataError);
    expect(() => loadMnistSplits({ testSize: -5 })).toThrow(/testSize/);
  });
});
