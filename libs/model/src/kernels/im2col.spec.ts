import { describe, expect, it } from '@jest/globals';
import { createRng } from '@fedzip/codec';
import { type ConvGeometry, col2imAccumulate, im2colTransposed } from './im2col.js';

function geometry(
  [N, H, W, CI]: [number, number, number, number],
  [KH, KW, CO]: [number, number, number],
  stride: number,
  dilation: number,
  pad: [number, number],
): ConvGeometry {
  const outHeight = Math.floor((H + 2 * pad[0] - dilation * (KH - 1) - 1) / stride) + 1;
  const outWidth = Math.floor((W + 2 * pad[1] - dilation * (KW - 1) - 1) / stride) + 1;
  return {
    batchSize: N,
    inHeight: H,
    inWidth: W,
    inChannels: CI,
    outHeight,
    outWidth,
    outChannels: CO,
    filterHeight: KH,
    filterWidth: KW,
    strideHeight: stride,
    strideWidth: stride,
    dilationHeight: dilation,
    dilationWidth: dilation,
    padTop: pad[0],
    padLeft: pad[1],
  };
}

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.nextFloat() - 0.5);
}

/** The value filter tap r = (kh, kw, ci) reads at output position p = (n, oh, ow), by definition. */
function tap(
  x: Float32Array,
  g: ConvGeometry,
  n: number,
  oh: number,
  ow: number,
  kh: number,
  kw: number,
  ci: number,
) {
  const ih = oh * g.strideHeight + kh * g.dilationHeight - g.padTop;
  const iw = ow * g.strideWidth + kw * g.dilationWidth - g.padLeft;
  if (ih < 0 || ih >= g.inHeight || iw < 0 || iw >= g.inWidth) return 0;
  return x[((n * g.inHeight + ih) * g.inWidth + iw) * g.inChannels + ci]!;
}

const geometries = [
  geometry([2, 7, 6, 3], [3, 3, 4], 1, 1, [1, 1]),
  geometry([3, 9, 8, 2], [5, 5, 2], 2, 1, [2, 2]),
  geometry([1, 10, 10, 1], [3, 2, 1], 3, 1, [0, 1]),
  geometry([2, 9, 9, 2], [3, 3, 2], 1, 2, [2, 2]),
];

describe('im2col helpers', () => {
  it.each(geometries)('im2colTransposed matches the definition (%#)', (g) => {
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
    const x = random(N * H * W * CI, 1);
    // [N, H, W, CI] → [CI, N, H, W]
    const xt = new Float32Array(x.length);
    for (let n = 0; n < N; n++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++)
          for (let c = 0; c < CI; c++) xt[((c * N + n) * H + h) * W + w] = x[((n * H + h) * W + w) * CI + c]!;
    const P = N * OH * OW;
    const R = g.filterHeight * g.filterWidth * CI;
    const cols = new Float32Array(R * P).fill(NaN);
    im2colTransposed(xt, cols, g);
    const expected = new Float32Array(R * P);
    for (let kh = 0; kh < g.filterHeight; kh++)
      for (let kw = 0; kw < g.filterWidth; kw++)
        for (let ci = 0; ci < CI; ci++)
          for (let n = 0; n < N; n++)
            for (let oh = 0; oh < OH; oh++)
              for (let ow = 0; ow < OW; ow++) {
                const r = (kh * g.filterWidth + kw) * CI + ci;
                const p = (n * OH + oh) * OW + ow;
                expected[r * P + p] = tap(x, g, n, oh, ow, kh, kw, ci);
              }
    expect(cols).toEqual(expected);
    // A chunk of samples is the matching slice of columns of each row.
    if (N > 1) {
      const part = new Float32Array(R * OH * OW);
      im2colTransposed(xt, part, g, 1, 1);
      for (let r = 0; r < R; r++) {
        expect(part.subarray(r * OH * OW, (r + 1) * OH * OW)).toEqual(
          cols.subarray(r * P + OH * OW, r * P + 2 * OH * OW),
        );
      }
    }
  });

  it.each(geometries)('col2imAccumulate is the adjoint of im2col (%#)', (g) => {
    // ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for every x and c.
    const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
    const R = g.filterHeight * g.filterWidth * CI;
    const x = random(N * H * W * CI, 2);
    const c = random(N * OH * OW * R, 3); // [P, R]
    let lhs = 0;
    for (let n = 0; n < N; n++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++)
          for (let kh = 0; kh < g.filterHeight; kh++)
            for (let kw = 0; kw < g.filterWidth; kw++)
              for (let ci = 0; ci < CI; ci++) {
                const p = (n * OH + oh) * OW + ow;
                lhs += tap(x, g, n, oh, ow, kh, kw, ci) * c[p * R + (kh * g.filterWidth + kw) * CI + ci]!;
              }
    const dx = new Float32Array(x.length);
    col2imAccumulate(c, dx, g);
    let rhs = 0;
    for (let i = 0; i < x.length; i++) rhs += x[i]! * dx[i]!;
    expect(rhs).toBeCloseTo(lhs, 4);
  });
});
