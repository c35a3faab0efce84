import { describe, expect, it } from '@jest/globals';
import { imageDims, labelFromName, rgbaToSample } from './images.js';

/** h×w RGBA with a square of `fg` on `bg`. */
function picture(h: number, w: number, bg: number, fg: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(h * w * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = y > 0 && y < h - 1 && x > 0 && x < w - 1 ? fg : bg;
      rgba.set([v, v, v, 255], 4 * (y * w + x));
    }
  }
  return rgba;
}

describe('labelled images to samples', () => {
  it('reads image-like input shapes only', () => {
    expect(imageDims([28, 28, 1])).toEqual({ h: 28, w: 28, c: 1 });
    expect(imageDims([8, 8])).toEqual({ h: 8, w: 8, c: 1 });
    expect(imageDims([20])).toBeNull();
    expect(imageDims([4, 4, 2])).toBeNull();
  });

  it('makes grey values in [0, 1], inverting a light background so that ink is bright (as MNIST)', () => {
    const dark = rgbaToSample(picture(4, 4, 0, 255), 4, 4);
    expect(dark[0]).toBe(0);
    expect(dark[5]).toBeCloseTo(1, 5);
    const light = rgbaToSample(picture(4, 4, 255, 0), 4, 4);
    expect(light[0]).toBeCloseTo(0, 5);
    expect(light[5]).toBeCloseTo(1, 5);
    expect(rgbaToSample(picture(3, 3, 0, 51), 3, 3, 3)).toHaveLength(27);
  });

  it('guesses a label from the first digit of a file name', () => {
    expect(labelFromName('7-mine.png', 10)).toBe(7);
    expect(labelFromName('digit_3_b.jpeg', 10)).toBe(3);
    expect(labelFromName('cat.png', 10)).toBeNull();
    expect(labelFromName('9.png', 5)).toBeNull();
  });
});
