import { describe, expect, it } from '@jest/globals';
import { labelHistogram } from '../dataset.js';
import { MNIST_COUNT, MNIST_PIXELS, loadMnist, mnistDigitsDir } from './mnist-loader.js';

describe('loadMnist', () => {
  it('reads the 10,000 real digits with 784 grey values in [0, 1]', () => {
    const d = loadMnist();
    expect(d.n).toBe(MNIST_COUNT);
    expect(d.shape).toEqual([28, 28, 1]);
    expect(d.x.length).toBe(MNIST_COUNT * MNIST_PIXELS);
    let min = Infinity;
    let max = -Infinity;
    // Plain comparisons: Math.min per pixel is slow inside Jest's VM context.
    for (let i = 0; i < d.x.length; i++) {
      const v = d.x[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(mnistDigitsDir()).toMatch(/mnist[/\\]src[/\\]digits$/);
  });

  it('has labels 0–9 with about 1,000 of each (the counts the package ships)', () => {
    const counts = labelHistogram(loadMnist());
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    for (const c of counts) expect(c).toBeGreaterThan(800);
  });

  it('digits look like digits: a 1 lights fewer pixels than a 0 on average', () => {
    const d = loadMnist();
    const ink = (digit: number): number => {
      let s = 0;
      let m = 0;
      for (let i = 0; i < d.n; i++) {
        if (d.y[i] !== digit) continue;
        m++;
        for (let j = 0; j < MNIST_PIXELS; j++) s += d.x[i * MNIST_PIXELS + j]!;
      }
      return s / m;
    };
    expect(ink(1)).toBeLessThan(0.7 * ink(0));
  });

  it('loads once and caches', () => {
    expect(loadMnist()).toBe(loadMnist());
  });
});
