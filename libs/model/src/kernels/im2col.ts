/**
 * Pure typed-array helpers for convolution gradients, in tfjs's `*_impl` habit: no tensors, no
 * backend, so that they are tested on their own. The wasm kernels wrap them around the backend's
 * matrix multiplication (XNNPACK).
 *
 * Layout conventions (NHWC, as tfjs's wasm backend requires):
 * - `x` is `[N, H, W, CI]`, `dy` is `[N, OH, OW, CO]`, the filter is `[KH, KW, CI, CO]`;
 * - a *patch row* index is `r = (kh·KW + kw)·CI + ci`, `R = KH·KW·CI` of them, which is exactly
 *   the row-major order of the filter seen as an `[R, CO]` matrix;
 * - an *output position* index is `p = (n·OH + oh)·OW + ow`.
 */

/** The geometry of one 2-D convolution: the fields of tfjs's `Conv2DInfo` that the helpers read. */
export interface ConvGeometry {
  readonly batchSize: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Rows of implicit zero padding above the input. */
  readonly padTop: number;
  /** Columns of implicit zero padding left of the input. */
  readonly padLeft: number;
}

/** `[lo, hi)`: the output columns `ow` whose input column `ow·stride + offset` lies inside `[0, width)`. */
function validRange(offset: number, stride: number, width: number, outWidth: number): [number, number] {
  const lo = offset >= 0 ? 0 : Math.min(outWidth, Math.ceil(-offset / stride));
  const hi = Math.min(outWidth, Math.ceil((width - offset) / stride));
  return [lo, Math.max(lo, hi)];
}

/**
 * Transposed im2col: fills `cols` (an `[R, Pc]` row-major matrix, `Pc = nCount·OH·OW`) so that
 * `cols[r, p]` is the input value that filter tap `r` multiplies at output position `p`, or 0 in the
 * padding. Covers the samples `[n0, n0 + nCount)`.
 *
 * `xt` is the input *already transposed* to `[CI, N, H, W]`: each row of `cols` then reads a
 * contiguous run of `xt` (strided by the convolution stride), which is what makes this fast in JS.
 * Then `dW = cols · dy` (an `[R, CO]` product) is the filter gradient.
 */
export function im2colTransposed(
  xt: Float32Array,
  cols: Float32Array,
  g: ConvGeometry,
  n0 = 0,
  nCount = g.batchSize,
): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = g;
  const { dilationHeight: dh, dilationWidth: dw, padTop: pt, padLeft: pl } = g;
  const HW = H * W;
  let o = 0;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const off = kw * dw - pl;
      const [owLo, owHi] = validRange(off, sw, W, OW);
      for (let ci = 0; ci < CI; ci++) {
        for (let n = n0; n < n0 + nCount; n++) {
          const plane = (ci * N + n) * HW;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * sh + kh * dh - pt;
            if (ih < 0 || ih >= H) {
              cols.fill(0, o, o + OW);
              o += OW;
              continue;
            }
            let ow = 0;
            for (; ow < owLo; ow++) cols[o++] = 0;
            let src = plane + ih * W + owLo * sw + off;
            if (sw === 1) {
              for (; ow < owHi; ow++) cols[o++] = xt[src++]!;
            } else {
              for (; ow < owHi; ow++, src += sw) cols[o++] = xt[src]!;
            }
            for (; ow < OW; ow++) cols[o++] = 0;
          }
        }
      }
    }
  }
}

/**
 * col2im with accumulation: for the samples `[n0, n0 + nCount)`, adds each row of `dcols` (a
 * `[Pc, R]` row-major matrix, `Pc = nCount·OH·OW`, from `dy · Wᵀ`) into the input gradient `dx`
 * (`[N, H, W, CI]`) at the positions its filter taps read. Taps that fall in the padding are
 * dropped. `dx` must be zeroed by the caller beforehand.
 */
export function col2imAccumulate(
  dcols: Float32Array,
  dx: Float32Array,
  g: ConvGeometry,
  n0 = 0,
  nCount = g.batchSize,
): void {
  const { inHeight: H, inWidth: W, inChannels: CI, outHeight: OH, outWidth: OW } = g;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = g;
  const { dilationHeight: dh, dilationWidth: dw, padTop: pt, padLeft: pl } = g;
  const R = KH * KW * CI;
  let base = 0;
  for (let n = n0; n < n0 + nCount; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, base += R) {
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh + kh * dh - pt;
          if (ih < 0 || ih >= H) continue;
          const row = (n * H + ih) * W;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw + kw * dw - pl;
            if (iw < 0 || iw >= W) continue;
            let d = (row + iw) * CI;
            let s = base + (kh * KW + kw) * CI;
            for (const end = d + CI; d < end;) dx[d++]! += dcols[s++]!;
          }
        }
      }
    }
  }
}

/** Transposes an `[rows, cols]` row-major matrix into `out` (`[cols, rows]`). */
export function transpose2d(src: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i = 0; i < rows; i++) {
    const rowBase = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = src[rowBase + j]!;
  }
}
