import { beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@fedzip/codec';
import { initBackend } from './backend.js';
import { ModelError } from './errors.js';
import { getFlatWeights, sameLayout, setFlatWeights, weightLayout } from './flat-weights.js';
import { type ModelConfig, createModel } from './zoo.js';

const input = { shape: [12, 12, 1], numClasses: 4 } as const;
const cnn: ModelConfig = { kind: 'cnn', filters: [3, 5], dense: 6 };

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.nextFloat() * 2 - 1);
}

describe('flat weights', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('lays the trainable tensors out contiguously', () => {
    const model = createModel(cnn, input);
    const layout = weightLayout(model);
    let offset = 0;
    for (const e of layout.entries) {
      expect(e.offset).toBe(offset);
      expect(e.size).toBe(e.shape.reduce((a, b) => a * b, 1));
      offset += e.size;
    }
    expect(layout.totalSize).toBe(offset);
    expect(layout.totalSize).toBe(model.countParams());
    expect(layout.entries[0]).toEqual({ name: 'conv1/kernel', shape: [5, 5, 1, 3], offset: 0, size: 75 });
    model.dispose();
  });

  it.each(['wasm', 'cpu'] as const)('round-trips exactly on %s', async (backend) => {
    await initBackend({ prefer: backend });
    const before = tf.memory().numTensors;
    const model = createModel(cnn, input, { seed: 1 });
    const layout = weightLayout(model);
    const flat = random(layout.totalSize, 2);
    flat[0] = 1e-45; // a subnormal survives too
    flat[1] = -0;
    setFlatWeights(model, flat, layout);
    const back = getFlatWeights(model);
    expect(new Uint32Array(back.buffer)).toEqual(new Uint32Array(flat.buffer));
    // The values were copied: changing the source afterwards does not reach the model.
    flat.fill(3);
    expect(getFlatWeights(model)).toEqual(back);
    // Into a caller's buffer.
    const out = new Float32Array(layout.totalSize);
    expect(getFlatWeights(model, out)).toBe(out);
    expect(out).toEqual(back);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await initBackend();
  });

  it('moves a model between instances: same weights, same outputs', () => {
    const a = createModel(cnn, input, { seed: 3 });
    const b = createModel(cnn, input, { seed: 4 });
    setFlatWeights(b, getFlatWeights(a), weightLayout(a));
    const x = tf.tensor4d(random(2 * 144, 5), [2, 12, 12, 1]);
    const [ya, yb] = tf.tidy(() => [a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor]);
    expect(yb!.dataSync()).toEqual(ya!.dataSync());
    tf.dispose([x, ya!, yb!]);
    a.dispose();
    b.dispose();
  });

  it('refuses weights that do not fit', () => {
    const model = createModel(cnn, input);
    const other = createModel({ kind: 'mlp', hidden: [8] }, input);
    const layout = weightLayout(model);
    expect(sameLayout(layout, weightLayout(other))).toBe(false);
    expect(sameLayout(layout, weightLayout(model))).toBe(true);
    const attempts = [
      () => setFlatWeights(model, new Float32Array(layout.totalSize - 1)),
      () => setFlatWeights(model, new Float32Array(layout.totalSize), weightLayout(other)),
      () => getFlatWeights(model, new Float32Array(3)),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(ModelError);
      try {
        attempt();
      } catch (e) {
        expect((e as ModelError).code).toBe('LAYOUT_MISMATCH');
      }
    }
    model.dispose();
    other.dispose();
  });
});
