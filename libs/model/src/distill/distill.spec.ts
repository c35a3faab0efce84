import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '@fedzip/codec';
import { prototypes } from '../__tests__/synthetic.js';
import { initBackend } from '../backend.js';
import { ModelError } from '../errors.js';
import { saveModel } from '../file-io.js';
import { getFlatWeights } from '../flat-weights.js';
import { evaluate } from '../training.js';
import { type ModelConfig, createModel } from '../zoo.js';
import { gatherShifted, imageDims, shiftImage } from './augment.js';
import { distill, trainAugmented } from './distill.js';
import { loadTeacher, trainTeacher } from './teacher.js';

const shape = [6, 6, 1] as const;
const train = prototypes(120, shape, 4, 1, 0.8);
const test = prototypes(80, shape, 4, 1, 0.8);
const teacherSpec: ModelConfig = { kind: 'mlp', hidden: [32] };
const studentSpec: ModelConfig = { kind: 'mlp', hidden: [8] };
const cnn: ModelConfig = { kind: 'cnn', filters: [2, 3], dense: 8, kernelSize: 3 };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof ModelError ? e.code : `other: ${(e as Error).message}`;
  }
  return 'none';
}

let teacher: tf.LayersModel;
let dir = '';

beforeAll(async () => {
  await initBackend();
  teacher = (await trainTeacher(teacherSpec, train, { lr: 0.01, epochs: 10, batchSize: 16, seed: 1 })).model;
  dir = mkdtempSync(join(tmpdir(), 'fedzip-distill-'));
});

afterAll(() => {
  teacher.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('augmentation', () => {
  it('shifts an image with zero fill', () => {
    const src = Float32Array.from({ length: 9 }, (_, i) => i + 1); // 3×3×1: 1..9
    const dst = new Float32Array(9);
    shiftImage(src, dst, [3, 3, 1], 1, -1); // down one row, left one column
    expect([...dst]).toEqual([0, 0, 0, 2, 3, 0, 5, 6, 0]);
    shiftImage(src, dst, [3, 3, 1], 0, 0);
    expect([...dst]).toEqual([...src]);
    shiftImage(src, dst, [3, 3, 1], 3, 0);
    expect([...dst]).toEqual(new Array(9).fill(0));
  });

  it('keeps channels together and is deterministic in the seed', () => {
    const x = Float32Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => i);
    const a = gatherShifted(x, [4, 4, 2], null, 0, 2, 1, createRng(5));
    const b = gatherShifted(x, [4, 4, 2], null, 0, 2, 1, createRng(5));
    expect(a).toEqual(b);
    // Every non-zero pixel keeps its (even, odd) channel pair.
    for (let i = 0; i < a.length; i += 2) if (a[i]! !== 0) expect(a[i + 1]).toBe(a[i]! + 1);
    expect(imageDims([784])).toBeNull();
    expect(imageDims([28, 28])).toEqual([28, 28, 1]);
    // Flat samples are copied as they are, whatever k.
    const flat = gatherShifted(x, [32], [1, 0], 0, 2, 2, createRng(1));
    expect([...flat.subarray(0, 32)]).toEqual([...x.subarray(32, 64)]);
  });
});

describe('distill', () => {
  it('teaches a student from soft labels only (no labels at all)', async () => {
    const teacherAcc = (await evaluate(teacher, test)).accuracy;
    expect(teacherAcc).toBeGreaterThan(0.9);
    const student = createModel(studentSpec, train, { seed: 7 });
    const before = (await evaluate(student, test)).accuracy;
    const unlabeled = { x: train.x, n: train.n, shape: train.shape, numClasses: train.numClasses };
    const result = await distill(student, teacher, unlabeled, {
      softOnly: true,
      temperature: 3,
      lr: 0.01,
      epochs: 15,
      batchSize: 16,
      seed: 2,
    });
    const after = (await evaluate(student, test)).accuracy;
    expect(Number.isNaN(result.accuracy)).toBe(true); // no labels to measure
    expect(result.epochs.at(-1)!.loss).toBeLessThan(result.epochs[0]!.loss);
    expect(after).toBeGreaterThan(0.8); // chance is 0.25
    expect(after).toBeGreaterThan(before + 0.3);
    student.dispose();
  });

  it('leaks no tensors, with per-batch teacher logits (shifts) and cached ones', async () => {
    const cnnTeacher = createModel(cnn, train, { seed: 3 });
    const student = createModel(cnn, train, { seed: 4 });
    const before = tf.memory().numTensors;
    for (const shiftPixels of [0, 1]) {
      await distill(student, cnnTeacher, train, {
        lr: 0.01,
        epochs: 2,
        batchSize: 32,
        shiftPixels,
        l1: 1e-4,
      });
      await trainAugmented(student, train, {
        lr: 0.01,
        epochs: 1,
        batchSize: 50,
        shiftPixels,
        optimizer: 'momentum',
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    cnnTeacher.dispose();
    student.dispose();
  });

  it('is deterministic in its seed', async () => {
    const runs: Float32Array[] = [];
    for (let r = 0; r < 2; r++) {
      const student = createModel(cnn, train, { seed: 4 });
      await distill(student, teacher, train, { lr: 0.01, epochs: 1, batchSize: 16, shiftPixels: 1, seed: 9 });
      runs.push(getFlatWeights(student));
      student.dispose();
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('checks its options and data', async () => {
    const student = createModel(studentSpec, train, { seed: 1 });
    const unlabeled = { x: train.x, n: train.n, shape: train.shape, numClasses: train.numClasses };
    expect(await codeOf(distill(student, teacher, train, { lr: 0.01, temperature: 0 }))).toBe('BAD_OPTION');
    expect(await codeOf(distill(student, teacher, train, { lr: 0.01, alpha: 1.5 }))).toBe('BAD_OPTION');
    expect(await codeOf(distill(student, teacher, train, { lr: 0.01, shiftPixels: -1 }))).toBe('BAD_OPTION');
    expect(await codeOf(distill(student, teacher, unlabeled, { lr: 0.01, alpha: 0.5 }))).toBe('BAD_DATA');
    const other = prototypes(20, shape, 3, 1);
    expect(await codeOf(distill(student, teacher, other, { lr: 0.01 }))).toBe('BAD_DATA');
    student.dispose();
  });
});

describe('teacher loading', () => {
  it('loads a tfjs model.json and refuses one that does not fit the data', async () => {
    await saveModel(teacher, join(dir, 'teacher'));
    const loaded = await loadTeacher(join(dir, 'teacher', 'model.json'), train);
    expect(getFlatWeights(loaded)).toEqual(getFlatWeights(teacher));
    loaded.dispose();
    expect(await codeOf(loadTeacher(join(dir, 'teacher'), { shape: [5, 5, 1], numClasses: 4 }))).toBe(
      'BAD_ARTIFACTS',
    );
    expect(await codeOf(loadTeacher(join(dir, 'teacher'), { shape, numClasses: 10 }))).toBe('BAD_ARTIFACTS');
    expect(await codeOf(loadTeacher(join(dir, 'missing'), train))).toBe('BAD_ARTIFACTS');
  });
});
