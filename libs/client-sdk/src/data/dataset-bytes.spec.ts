import { describe, expect, it } from '@jest/globals';
import { decodeDatasetBytes, encodeDatasetBytes } from './dataset-bytes.js';

const grey = (n: number, f: number) => Float32Array.from({ length: n * f }, (_, i) => ((i * 37) % 256) / 255);

describe('dataset bytes', () => {
  it('round-trips 8-bit-like data losslessly through a one-byte palette', () => {
    const y = Array.from({ length: 50 }, (_, i) => i % 3);
    const data = { x: grey(50, 64), y, n: 50, shape: [8, 8, 1], numClasses: 3 };
    const bytes = encodeDatasetBytes(data);
    expect(bytes[4]).toBe(1); // palette
    expect(bytes.length).toBeLessThan(4 * data.x.length);
    const back = decodeDatasetBytes(bytes);
    expect(back.x).toEqual(data.x);
    expect(Array.from(back.y)).toEqual(data.y);
    expect(back).toMatchObject({ n: 50, shape: [8, 8, 1], numClasses: 3 });
  });

  it('falls back to float32 for more than 256 distinct values, and reads from a view', () => {
    const x = Float32Array.from({ length: 600 }, (_, i) => Math.sin(i));
    const bytes = encodeDatasetBytes({ x, y: [0, 1], n: 2, shape: [300], numClasses: 2 });
    expect(bytes[4]).toBe(0);
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const back = decodeDatasetBytes(padded.subarray(3));
    expect(back.x).toEqual(x);
  });

  it('refuses hostile bytes with a reason', () => {
    const good = encodeDatasetBytes({ x: grey(2, 4), y: [1, 0], n: 2, shape: [4], numClasses: 2 });
    const mutate = (f: (b: Uint8Array) => void) => {
      const b = good.slice();
      f(b);
      return b;
    };
    expect(() => decodeDatasetBytes(new Uint8Array(3))).toThrow(/bad magic/);
    expect(() => decodeDatasetBytes(good.subarray(0, good.length - 1))).toThrow(/expected/);
    expect(() => decodeDatasetBytes(mutate((b) => (b[4] = 9)))).toThrow(/encoding 9/);
    expect(() => decodeDatasetBytes(mutate((b) => (b[5] = 0)))).toThrow(/rank 0/);
    expect(() => decodeDatasetBytes(mutate((b) => (b[8] = 200)))).toThrow(/expected/); // n lies
    expect(() => decodeDatasetBytes(mutate((b) => (b[11] = 0x7f)))).toThrow(/exceed the limit/);
    // The first label is at 12 + 4 (shape) + 2 + 4·palette.
    const paletteSize = good[16]! | (good[17]! << 8);
    const labelAt = 18 + 4 * paletteSize;
    expect(() => decodeDatasetBytes(mutate((b) => (b[labelAt] = 5)))).toThrow(/label 5/);
    expect(() => decodeDatasetBytes(mutate((b) => (b[b.length - 1] = 255)))).toThrow(/palette index/);
  });

  it('refuses to encode labels outside the classes', () => {
    expect(() => encodeDatasetBytes({ x: grey(1, 2), y: [3], n: 1, shape: [2], numClasses: 2 })).toThrow(
      RangeError,
    );
  });
});
