/**
 * Kernels for tfjs's wasm backend that training a CNN needs and that the backend lacks, runs
 * slowly or gets wrong. The convolution gradients are im2col/col2im in JS (`./im2col.ts`) around
 * the backend's own matrix multiplication, which runs XNNPACK's SIMD GEMM when neither operand is
 * transposed.
 *
 * - `Conv2DBackpropFilter` is missing from tfjs-backend-wasm 4.22: registered here.
 * - `Conv2DBackpropInput` exists but is a scalar C++ loop (about 60% of a CNN training step):
 *   replaced for float32 NHWC; other cases go to the original kernel.
 * - `MaxPoolGrad` exists but drops the gradient of windows whose values are all ≤ 0 and breaks
 *   ties differently from cpu (see `./max-pool-grad.ts`): replaced by the cpu semantics in JS.
 * - `BatchMatMul` exists, but only the untransposed batch-1 case reaches XNNPACK; the transposed
 *   products that every dense layer's backward pass computes run a scalar blocked loop. The
 *   replacement transposes the operand with the backend's Transpose kernel first (a memory pass)
 *   and then takes the XNNPACK path. Other cases go to the original kernel.
 *
 * Temporaries are backend tensors made with `makeOutput` and freed with `disposeData`: the engine
 * never sees them, so `tf.memory().numTensors` is unaffected.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ModelError } from '../errors.js';
import { type ConvGeometry, col2imAccumulate, im2colTransposed } from './im2col.js';
import { maxPoolGradImpl } from './max-pool-grad.js';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Default largest im2col buffer (in float32 values) one kernel call allocates on the wasm heap;
 * bigger batches are processed in chunks of samples. 8 Mi values = 32 MiB.
 */
export const MAX_COLS_VALUES = 8 * 1024 * 1024;

let maxColsValues = MAX_COLS_VALUES;

/**
 * Sets the im2col buffer limit (in values) of the convolution gradient kernels; returns the
 * previous one. Smaller limits mean more, smaller chunks. Mostly for tests.
 */
export function setMaxColsValues(values: number): number {
  if (!(Number.isInteger(values) && values >= 1)) {
    throw new ModelError('BAD_OPTION', `the im2col limit must be a positive integer, got ${values}`);
  }
  const previous = maxColsValues;
  maxColsValues = values;
  return previous;
}

const WASM = 'wasm';
const ours = new WeakSet<tf.KernelFunc>();

function info(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function original(kernelName: string): tf.KernelConfig {
  const config = tf.getKernel(kernelName, WASM);
  if (config === undefined) {
    throw new ModelError('UNSUPPORTED', `the wasm backend has no ${kernelName} kernel to build on`);
  }
  return config;
}

function geometry(c: tf.backend_util.Conv2DInfo): ConvGeometry {
  return { ...c, padTop: c.padInfo.top, padLeft: c.padInfo.left };
}

function samplesPerChunk(perSample: number, n: number): number {
  return Math.max(1, Math.min(n, Math.floor(maxColsValues / Math.max(1, perSample))));
}

/** A fresh backend tensor of `shape` holding the values of `src` from index `from` on. */
function copyRange(backend: BackendWasm, src: TensorInfo, from: number, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const size = tf.util.sizeFromShape(shape);
  // Views are taken after every allocation: a heap growth detaches older views.
  const srcView = backend.typedArrayFromHeap(src) as Float32Array;
  (backend.typedArrayFromHeap(out) as Float32Array).set(srcView.subarray(from, from + size));
  return out;
}

interface Matmul {
  (a: TensorInfo, b: TensorInfo): TensorInfo;
}

/**
 * The im2col view of a convolution both gradient kernels share: N samples of `perSample` output
 * pixels, R = kh·kw·CI rows per column, CO output channels.
 */
function convSizes(c: tf.backend_util.Conv2DInfo) {
  return {
    g: geometry(c),
    N: c.batchSize,
    perSample: c.outHeight * c.outWidth,
    R: c.filterHeight * c.filterWidth * c.inChannels,
    CO: c.outChannels,
  };
}

function untransposedMatmul(backend: BackendWasm, bmm: tf.KernelFunc): Matmul {
  return (a, b) =>
    bmm({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
}

function makeConv2DBackpropFilter(bmm: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend: b, attrs }: KernelArgs) => {
    const backend = b as BackendWasm;
    const { x, dy } = inputs as tf.Conv2DBackpropFilterInputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (x === undefined || dy === undefined) throw new ModelError('UNSUPPORTED', 'missing x or dy');
    if (dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
      throw new ModelError(
        'UNSUPPORTED',
        `wasm Conv2DBackpropFilter supports float32 NHWC only, got ${dataFormat} ${x.dtype}`,
      );
    }
    const c = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { g, N, perSample, R, CO } = convSizes(c);
    const matmul = untransposedMatmul(backend, bmm);

    // [N, H, W, CI] → [CI, N, H, W], so that im2col reads contiguous rows.
    const xt = transpose({ inputs: { x }, backend, attrs: { perm: [3, 0, 1, 2] } }) as TensorInfo;
    const chunk = samplesPerChunk(R * perSample, N);
    let result: TensorInfo | undefined;
    for (let n0 = 0; n0 < N; n0 += chunk) {
      const nc = Math.min(chunk, N - n0);
      const P = nc * perSample;
      const cols = backend.makeOutput([1, R, P], 'float32');
      im2colTransposed(
        backend.typedArrayFromHeap(xt) as Float32Array,
        backend.typedArrayFromHeap(cols) as Float32Array,
        g,
        n0,
        nc,
      );
      // dy's rows for these samples, as the [P, CO] right operand (XNNPACK's "weights"). Always a
      // copy (a small one): XNNPACK caches the packed operand under the tensor's id, and dy is the
      // caller's tensor, which could meet another matmul under another shape.
      const dyPart = copyRange(backend, dy, n0 * perSample * CO, [1, P, CO]);
      const part = matmul(cols, dyPart);
      backend.disposeData(cols.dataId);
      backend.disposeData(dyPart.dataId);
      if (result === undefined) {
        result = part;
      } else {
        const acc = backend.typedArrayFromHeap(result) as Float32Array;
        const add = backend.typedArrayFromHeap(part) as Float32Array;
        for (let i = 0; i < acc.length; i++) acc[i]! += add[i]!;
        backend.disposeData(part.dataId);
      }
    }
    backend.disposeData(xt.dataId);
    if (result === undefined) throw new ModelError('UNSUPPORTED', 'empty batch');
    return info(result, [...filterShape]);
  };
}

function makeConv2DBackpropInput(
  fallback: tf.KernelFunc,
  bmm: tf.KernelFunc,
  transpose: tf.KernelFunc,
): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { dy, filter } = args.inputs as tf.Conv2DBackpropInputInputs;
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if (
      dy === undefined ||
      filter === undefined ||
      attrs.dataFormat === 'NCHW' ||
      dy.dtype !== 'float32' ||
      filter.dtype !== 'float32'
    ) {
      return fallback(args);
    }
    const c = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const { g, N, perSample, R, CO } = convSizes(c);
    const matmul = untransposedMatmul(backend, bmm);

    // Wᵀ as [CO, R]; XNNPACK packs it once and reuses the packing for every chunk.
    const wt = transpose({
      inputs: { x: info(filter, [R, CO]) },
      backend,
      attrs: { perm: [1, 0] },
    }) as TensorInfo;
    const wt3 = info(wt, [1, CO, R]);
    const dx = backend.makeOutput([...attrs.inputShape], 'float32');
    (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
    const chunk = samplesPerChunk(R * perSample, N);
    for (let n0 = 0; n0 < N; n0 += chunk) {
      const nc = Math.min(chunk, N - n0);
      const P = nc * perSample;
      const whole = nc === N;
      const dyPart = whole ? info(dy, [1, P, CO]) : copyRange(backend, dy, n0 * perSample * CO, [1, P, CO]);
      const dcols = matmul(dyPart, wt3);
      if (!whole) backend.disposeData(dyPart.dataId);
      col2imAccumulate(
        backend.typedArrayFromHeap(dcols) as Float32Array,
        backend.typedArrayFromHeap(dx) as Float32Array,
        g,
        n0,
        nc,
      );
      backend.disposeData(dcols.dataId);
    }
    backend.disposeData(wt.dataId);
    return dx;
  };
}

function makeBatchMatMul(fallback: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const { a, b } = args.inputs as tf.BatchMatMulInputs;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (
      a === undefined ||
      b === undefined ||
      (!transposeA && !transposeB) ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      tf.util.sizeFromShape(a.shape.slice(0, -2)) !== 1 ||
      tf.util.sizeFromShape(b.shape.slice(0, -2)) !== 1
    ) {
      return fallback(args);
    }
    const backend = args.backend as BackendWasm;
    const temps: TensorInfo[] = [];
    const flip = (t: TensorInfo): TensorInfo => {
      const m = t.shape.slice(-2);
      const out = transpose({ inputs: { x: info(t, m) }, backend, attrs: { perm: [1, 0] } }) as TensorInfo;
      temps.push(out);
      return out;
    };
    const a2 = transposeA ? flip(a) : info(a, a.shape.slice(-2));
    const b2 = transposeB ? flip(b) : info(b, b.shape.slice(-2));
    const out = fallback({
      inputs: { a: a2, b: b2 },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as TensorInfo;
    for (const t of temps) backend.disposeData(t.dataId);
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return info(out, [...outer, ...out.shape.slice(-2)]);
  };
}

function makeMaxPoolGrad(fallback: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as BackendWasm;
    const { dy, input } = args.inputs as tf.MaxPoolGradInputs;
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    if (dy === undefined || input === undefined || input.dtype !== 'float32' || dy.dtype !== 'float32') {
      return fallback(args);
    }
    const c = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const dx = backend.makeOutput([...input.shape], 'float32');
    const dxView = backend.typedArrayFromHeap(dx) as Float32Array;
    dxView.fill(0);
    maxPoolGradImpl(
      backend.typedArrayFromHeap(input) as Float32Array,
      backend.typedArrayFromHeap(dy) as Float32Array,
      dxView,
      geometry(c),
    );
    return dx;
  };
}

function register(config: tf.KernelConfig): void {
  ours.add(config.kernelFunc);
  if (tf.getKernel(config.kernelName, WASM) !== undefined) tf.unregisterKernel(config.kernelName, WASM);
  tf.registerKernel(config);
}

/** Whether the kernel currently registered under `kernelName` for wasm is one of this module's. */
export function isFedzipKernel(kernelName: string): boolean {
  const config = tf.getKernel(kernelName, WASM);
  return config !== undefined && ours.has(config.kernelFunc);
}

/** The kernels {@link registerWasmKernels} installs. */
export const WASM_KERNEL_NAMES = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'BatchMatMul',
] as const;

/**
 * Registers the fast gradient kernels for the wasm backend (see the module comment). Idempotent;
 * call it before or after the backend initialises: replaced kernels keep their original setup
 * function, which the backend runs at initialisation.
 *
 * Requires `@tensorflow/tfjs-backend-wasm` to be imported (its kernels registered) first.
 */
export function registerWasmKernels(): void {
  if (WASM_KERNEL_NAMES.every(isFedzipKernel)) return;
  const bmmConfig = original('BatchMatMul');
  const transpose = original('Transpose').kernelFunc;
  const inputConfig = original('Conv2DBackpropInput');
  // Untransposed products only: our BatchMatMul, if already installed, hands those straight on.
  const bmm = bmmConfig.kernelFunc;
  if (!isFedzipKernel('Conv2DBackpropFilter')) {
    register({
      kernelName: 'Conv2DBackpropFilter',
      backendName: WASM,
      kernelFunc: makeConv2DBackpropFilter(bmm, transpose),
    });
  }
  if (!isFedzipKernel('Conv2DBackpropInput')) {
    register({
      ...inputConfig,
      kernelFunc: makeConv2DBackpropInput(inputConfig.kernelFunc, bmm, transpose),
    });
  }
  if (!isFedzipKernel('MaxPoolGrad')) {
    const poolConfig = original('MaxPoolGrad');
    register({ ...poolConfig, kernelFunc: makeMaxPoolGrad(poolConfig.kernelFunc) });
  }
  if (!isFedzipKernel('BatchMatMul')) {
    register({ ...bmmConfig, kernelFunc: makeBatchMatMul(bmmConfig.kernelFunc, transpose) });
  }
}
