import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@fedzip/codec';
import { initBackend } from '../backend.js';
import { isFedzipKernel, setMaxColsValues, WASM_KERNEL_NAMES } from './wasm-kernels.js';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function randn(size: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  }
  return out;
}

/** Runs `f` on `backend` and returns its values. */
async function on(backend: 'wasm' | 'cpu', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = f();
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
function relErr(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-30);
}

/** dW of a conv2d: the kernel under test, called directly (tfjs has no public op for it). */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, f: Shape4, stride: number, pad: Pad): tf.Tensor {
  const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape: f };
  return tf
    .engine()
    .runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

function outShape(x: Shape4, f: Shape4, stride: number, pad: Pad): Shape4 {
  const c = tf.backend_util.computeConv2DInfo(x, f, stride, 1, pad);
  return c.outShape as Shape4;
}

interface Case {
  x: Shape4;
  f: Shape4;
  stride: number;
  pad: Pad;
}

const cases: Case[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid'] as const) {
    for (const [ci, co] of [
      [1, 4],
      [3, 8],
      [8, 16],
      [16, 5],
    ] as const) {
      cases.push({ x: [3, 11, 9, ci], f: [5, 5, ci, co], stride, pad });
    }
    cases.push({ x: [2, 8, 8, 4], f: [3, 3, 4, 6], stride, pad });
    cases.push({ x: [2, 7, 10, 2], f: [1, 1, 2, 3], stride, pad });
  }
}
cases.push({ x: [2, 9, 9, 3], f: [4, 2, 3, 5], stride: 2, pad: 'same' });
cases.push({
  x: [2, 6, 6, 3],
  f: [3, 3, 3, 4],
  stride: 1,
  pad: [
    [0, 0],
    [2, 0],
    [1, 2],
    [0, 0],
  ],
});

describe('wasm gradient kernels against the cpu backend (relative 1e-4)', () => {
  beforeAll(async () => {
    expect((await initBackend()).name).toBe('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('registers every kernel on wasm', () => {
    for (const k of WASM_KERNEL_NAMES) expect(isFedzipKernel(k)).toBe(true);
  });

  it.each(cases)('Conv2DBackpropFilter: $x × $f, stride $stride, pad $pad', async (c) => {
    const dyShape = outShape(c.x, c.f, c.stride, c.pad);
    const x = randn(tf.util.sizeFromShape(c.x), 1);
    const dy = randn(tf.util.sizeFromShape(dyShape), 2);
    const run = () => filterGradient(tf.tensor4d(x, c.x), tf.tensor4d(dy, dyShape), c.f, c.stride, c.pad);
    const wasm = await on('wasm', run);
    const cpu = await on('cpu', run);
    expect(relErr(wasm, cpu)).toBeLessThan(1e-4);
  });

  it.each(cases)('Conv2DBackpropInput: $x × $f, stride $stride, pad $pad', async (c) => {
    const dyShape = outShape(c.x, c.f, c.stride, c.pad);
    const dy = randn(tf.util.sizeFromShape(dyShape), 3);
    const f = randn(tf.util.sizeFromShape(c.f), 4);
    const run = () =>
      tf.conv2dTranspose(tf.tensor4d(dy, dyShape), tf.tensor4d(f, c.f), c.x, c.stride, c.pad as 'same');
    const wasm = await on('wasm', run);
    const cpu = await on('cpu', run);
    expect(relErr(wasm, cpu)).toBeLessThan(1e-4);
  });

  it('chunks large batches without changing the result', async () => {
    const c: Case = { x: [5, 12, 12, 3], f: [5, 5, 3, 7], stride: 1, pad: 'same' };
    const dyShape = outShape(c.x, c.f, c.stride, c.pad);
    const x = randn(tf.util.sizeFromShape(c.x), 5);
    const dy = randn(tf.util.sizeFromShape(dyShape), 6);
    const f = randn(tf.util.sizeFromShape(c.f), 7);
    const filterGrad = () =>
      filterGradient(tf.tensor4d(x, c.x), tf.tensor4d(dy, dyShape), c.f, c.stride, c.pad);
    const inputGrad = () => tf.conv2dTranspose(tf.tensor4d(dy, dyShape), tf.tensor4d(f, c.f), c.x, 1, 'same');
    const whole = [await on('wasm', filterGrad), await on('wasm', inputGrad)];
    // 75 patch rows × 144 positions = 10,800 values per sample: a limit of 25,000 makes chunks of 2.
    const previous = setMaxColsValues(25_000);
    try {
      const chunked = [await on('wasm', filterGrad), await on('wasm', inputGrad)];
      expect(relErr(chunked[0]!, whole[0]!)).toBeLessThan(1e-6);
      expect(relErr(chunked[1]!, whole[1]!)).toBeLessThan(1e-6);
    } finally {
      setMaxColsValues(previous);
    }
    expect(relErr(whole[0]!, await on('cpu', filterGrad))).toBeLessThan(1e-4);
  });

  it.each([
    [[2, 8, 8, 3], 2, 2, 'valid'],
    [[2, 9, 7, 4], 2, 2, 'same'],
    [[1, 9, 9, 5], 3, 2, 'same'],
    [[2, 7, 6, 2], 3, 1, 'same'],
    [[1, 10, 9, 3], [2, 3], [1, 2], 'valid'],
  ] as const)(
    'MaxPoolGrad %j, pool %j, stride %j, %s (ties, negatives)',
    async (shape, size, stride, pad) => {
      // Small integers: many ties and all-negative windows, where semantics could differ.
      const x = randn(tf.util.sizeFromShape([...shape]), 12).map((v) => Math.round(v * 2) - 1);
      const run = () => {
        const input = tf.tensor4d(x, [...shape]);
        const y = tf.maxPool(
          input,
          size as number | [number, number],
          stride as number | [number, number],
          pad,
        );
        const dy = tf.tensor4d(randn(y.size, 13), y.shape);
        const attrs = { filterSize: size, strides: stride, pad };
        return tf
          .engine()
          .runKernel(
            'MaxPoolGrad',
            { dy, input, output: y },
            attrs as unknown as tf.NamedAttrMap,
          ) as tf.Tensor;
      };
      const wasm = await on('wasm', run);
      const cpu = await on('cpu', run);
      expect(relErr(wasm, cpu)).toBeLessThan(1e-6);
    },
  );

  it.each([
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[1, 5, 7], [5, 3], true, false],
    [[33, 300], [33, 20], true, false],
    [[2, 4, 3], [2, 4, 5], true, false],
  ] as const)('BatchMatMul %j × %j, transposeA %s, transposeB %s', async (aShape, bShape, ta, tb) => {
    const a = randn(tf.util.sizeFromShape([...aShape]), 8);
    const b = randn(tf.util.sizeFromShape([...bShape]), 9);
    const run = () => tf.matMul(tf.tensor(a, [...aShape]), tf.tensor(b, [...bShape]), ta, tb);
    await tf.setBackend('wasm');
    const shape = run().shape;
    const wasm = await on('wasm', run);
    const cpu = await on('cpu', run);
    await tf.setBackend('cpu');
    expect(shape).toEqual(run().shape);
    expect(relErr(wasm, cpu)).toBeLessThan(1e-5);
  });

  it('leaves no tensors behind, in the engine or in the backend', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dataIds = tf.backend().numDataIds();
    const c = cases[5]!;
    const dyShape = outShape(c.x, c.f, c.stride, c.pad);
    const previous = setMaxColsValues(2000); // the chunked paths too
    try {
      tf.tidy(() => {
        const x = tf.tensor4d(randn(tf.util.sizeFromShape(c.x), 1), c.x);
        const dy = tf.tensor4d(randn(tf.util.sizeFromShape(dyShape), 2), dyShape);
        filterGradient(x, dy, c.f, c.stride, c.pad).dataSync();
        tf.conv2dTranspose(dy, tf.ones(c.f) as tf.Tensor4D, c.x, c.stride, c.pad as 'same').dataSync();
        tf.matMul(dy.reshape([-1, c.f[3]]), dy.reshape([-1, c.f[3]]), true, false).dataSync();
        tf.grad((v) => tf.maxPool(v as tf.Tensor4D, 2, 2, 'same').sum())(x).dataSync();
      });
    } finally {
      setMaxColsValues(previous);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.backend().numDataIds()).toBe(dataIds);
  });
});

describe('a whole CNN gradient on wasm matches cpu', () => {
  it('agrees on every weight gradient', async () => {
    await initBackend();
    const grads = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [12, 12, 2],
            filters: 4,
            kernelSize: 5,
            padding: 'same',
            activation: 'relu',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({
            filters: 6,
            kernelSize: 3,
            strides: 2,
            activation: 'relu',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        ],
      });
      const x = tf.tensor4d(randn(4 * 12 * 12 * 2, 11), [4, 12, 12, 2]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads: g, value } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor) as tf.Scalar,
        vars,
      );
      const out = await Promise.all(vars.map(async (v) => (await g[v.name]!.data()) as Float32Array));
      tf.dispose([x, y, value, ...Object.values(g)]);
      model.dispose();
      return out;
    };
    const wasm = await grads('wasm');
    const cpu = await grads('cpu');
    await tf.setBackend('wasm');
    expect(wasm).toHaveLength(cpu.length);
    wasm.forEach((g, i) => expect(relErr(g, cpu[i]!)).toBeLessThan(1e-4));
  });
});
