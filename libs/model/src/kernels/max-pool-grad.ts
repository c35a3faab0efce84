/**
 * The gradient of 2-D max pooling over NHWC typed arrays, in tfjs's `*_impl` habit. Semantics are
 * the cpu backend's: in each window the *first* largest value (scan order row, column) takes the
 * whole gradient, windows with only NaN or −∞ pass none, and overlapping windows add up.
 *
 * tfjs-backend-wasm 4.22's own MaxPoolGrad starts each window's maximum at `FLT_MIN` (the smallest
 * positive float) and keeps the *last* maximum, so windows whose values are all ≤ 0 lose their
 * gradient, and ties go elsewhere than on cpu; it is also a scalar loop.
 */
import type { ConvGeometry } from './im2col.js';

/**
 * Adds into `dx` (`[N, H, W, C]`, zeroed by the caller) the gradient of max pooling `x` with the
 * window, strides and padding of `g` (`filterHeight/Width`, `strideHeight/Width`, `padTop/Left`,
 * `dilation*`; `inChannels` is C), given `dy` (`[N, OH, OW, C]`).
 */
export function maxPoolGradImpl(x: Float32Array, dy: Float32Array, dx: Float32Array, g: ConvGeometry): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = g;
  const { dilationHeight: dh, dilationWidth: dw, padTop: pt, padLeft: pl } = g;
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o += C) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * sh - pt + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * sw - pl + kw * dw;
            if (iw < 0 || iw >= W) continue;
            const base = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c]!;
              if (v > best[c]!) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          const at = where[c]!;
          if (at >= 0) dx[at]! += dy[o + c]!;
        }
      }
    }
  }
}
