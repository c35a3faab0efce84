/**
 * Turning a person's pictures into samples like the experiment's: resized to the model's input,
 * grey, in [0, 1], and inverted when the background is light (MNIST digits are white on black).
 * The pixel work is a pure function over RGBA bytes, so it is testable without a canvas.
 */

/** Height, width and channels of image-like samples, or null when the input is not an image. */
export function imageDims(shape: readonly number[]): { h: number; w: number; c: number } | null {
  const [a, b, c] = shape;
  if (shape.length === 3 && a && b && (c === 1 || c === 3)) return { h: a, w: b, c };
  if (shape.length === 2 && a && b) return { h: a, w: b, c: 1 };
  return null;
}

/**
 * One sample from `rgba` (h·w·4 bytes, as `ImageData.data`): grey (ITU-R 601 luma) in [0, 1], or
 * the three colour channels when `c` is 3; inverted when the mean of the border pixels is above
 * one half, so that the background ends up dark.
 */
export function rgbaToSample(rgba: ArrayLike<number>, h: number, w: number, c: 1 | 3 = 1): Float32Array {
  const grey = new Float32Array(h * w);
  for (let i = 0; i < h * w; i++) {
    grey[i] = (0.299 * rgba[4 * i]! + 0.587 * rgba[4 * i + 1]! + 0.114 * rgba[4 * i + 2]!) / 255;
  }
  let border = 0;
  let count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y !== 0 && y !== h - 1 && x !== 0 && x !== w - 1) continue;
      border += grey[y * w + x]!;
      count++;
    }
  }
  const invert = border / count > 0.5;
  if (c === 1) return invert ? grey.map((v) => 1 - v) : grey;
  const out = new Float32Array(h * w * 3);
  for (let i = 0; i < h * w; i++) {
    for (let k = 0; k < 3; k++) {
      const v = rgba[4 * i + k]! / 255;
      out[3 * i + k] = invert ? 1 - v : v;
    }
  }
  return out;
}

/**
 * Reads an image file into one sample of `shape`: drawn, keeping its aspect ratio, into the
 * centre of an h×w canvas (MNIST-like images get a 4-pixel margin, as the digits have), on a fill
 * of the image's own top-left colour, then {@link rgbaToSample}.
 */
export async function fileToSample(file: Blob, shape: readonly number[]): Promise<Float32Array> {
  const dims = imageDims(shape);
  if (dims === null) throw new Error(`the model's input [${shape.join(', ')}] is not an image`);
  const { h, w, c } = dims;
  const bitmap = await createImageBitmap(file);
  try {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('no 2D canvas');
    ctx.drawImage(bitmap, 0, 0, 1, 1, 0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.fillRect(0, 0, w, h);
    const margin = Math.min(h, w) >= 16 ? 4 : 0;
    const scale = Math.min((w - 2 * margin) / bitmap.width, (h - 2 * margin) / bitmap.height);
    const dw = bitmap.width * scale;
    const dh = bitmap.height * scale;
    ctx.drawImage(bitmap, (w - dw) / 2, (h - dh) / 2, dw, dh);
    return rgbaToSample(ctx.getImageData(0, 0, w, h).data, h, w, c === 3 ? 3 : 1);
  } finally {
    bitmap.close();
  }
}

/** A label guessed from a file name's first digit (`7-mine.png` → 7), or null. */
export function labelFromName(name: string, numClasses: number): number | null {
  const m = /\d/.exec(name.replace(/\.[^.]*$/, ''));
  const v = m ? Number(m[0]) : NaN;
  return Number.isInteger(v) && v < numClasses ? v : null;
}
