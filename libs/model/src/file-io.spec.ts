import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { prototypes } from './__tests__/synthetic.js';
import { initBackend } from './backend.js';
import { ModelError } from './errors.js';
import { MODEL_JSON, WEIGHTS_BIN, loadModel, saveModel } from './file-io.js';
import { getFlatWeights, sameLayout, weightLayout } from './flat-weights.js';
import { predictLogits, trainLocal } from './training.js';
import { createModel } from './zoo.js';

const data = prototypes(20, [8, 8, 1], 3, 4);
let dir: string;

describe('tfjs-format files on disk', () => {
  beforeAll(async () => {
    await initBackend();
    dir = await mkdtemp(join(tmpdir(), 'fedzip-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves model.json + weights.bin and loads them back exactly', async () => {
    const model = createModel({ kind: 'cnn', filters: [2, 4], dense: 5 }, data, { seed: 3 });
    await trainLocal(model, data, { lr: 0.05 });
    const out = join(dir, 'nested', 'cnn');
    const result = await saveModel(model, out);
    const flat = getFlatWeights(model);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(flat.byteLength);
    expect((await stat(join(out, WEIGHTS_BIN))).size).toBe(flat.byteLength);
    const json = JSON.parse(await readFile(join(out, MODEL_JSON), 'utf8')) as tf.io.ModelJSON;
    expect(json.weightsManifest[0]!.paths).toEqual([WEIGHTS_BIN]);
    expect(json.weightsManifest[0]!.weights.map((w) => w.name)).toEqual(
      weightLayout(model).entries.map((e) => e.name),
    );

    const before = tf.memory().numTensors;
    for (const path of [out, join(out, MODEL_JSON)]) {
      const loaded = await loadModel(path);
      expect(sameLayout(weightLayout(loaded), weightLayout(model))).toBe(true);
      expect(getFlatWeights(loaded)).toEqual(flat);
      expect(await predictLogits(loaded, data)).toEqual(await predictLogits(model, data));
      loaded.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('overwrites an earlier save in the same directory', async () => {
    const out = join(dir, 'again');
    const a = createModel({ kind: 'mlp', hidden: [3] }, data, { seed: 1 });
    const b = createModel({ kind: 'mlp', hidden: [3] }, data, { seed: 2 });
    await saveModel(a, out);
    await saveModel(b, out);
    const loaded = await loadModel(out);
    expect(getFlatWeights(loaded)).toEqual(getFlatWeights(b));
    a.dispose();
    b.dispose();
    loaded.dispose();
  });

  it('reports missing or malformed files as BAD_ARTIFACTS', async () => {
    const code = async (path: string) => {
      try {
        await loadModel(path);
      } catch (e) {
        return e instanceof ModelError ? e.code : `other: ${(e as Error).message}`;
      }
      return 'none';
    };
    expect(await code(join(dir, 'missing'))).toBe('BAD_ARTIFACTS');
    const broken = join(dir, 'broken');
    const model = createModel({ kind: 'mlp', hidden: [3] }, data);
    await saveModel(model, broken);
    model.dispose();
    await rm(join(broken, WEIGHTS_BIN));
    expect(await code(broken)).toBe('BAD_ARTIFACTS');
    await writeFile(join(broken, MODEL_JSON), '{not json');
    expect(await code(broken)).toBe('BAD_ARTIFACTS');
    await writeFile(join(broken, MODEL_JSON), '{}');
    expect(await code(broken)).toBe('BAD_ARTIFACTS');
  });
});
