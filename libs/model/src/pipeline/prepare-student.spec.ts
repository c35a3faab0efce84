import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as tf from '@tensorflow/tfjs';
import { decode } from '@fedzip/codec';
import { type ExperimentInput, parseExperiment } from '@fedzip/config';
import { initBackend } from '../backend.js';
import { type PreparedStudent, prepareStudent } from './prepare-student.js';

/** A tiny image-shaped synthetic experiment: every stage runs in about a second. */
const tiny: ExperimentInput = {
  name: 'tiny',
  seed: 3,
  data: {
    dataset: 'synthetic',
    synthetic: { samples: 400, shape: [8, 8, 1], classes: 4, separation: 8 },
    split: { test: 100, proxy: 200 },
  },
  clients: { count: 4, perRound: 2 },
  model: {
    student: { kind: 'mlp', hidden: [8] },
    teacher: {
      model: { kind: 'mlp', hidden: [32] },
      training: { epochs: 4, lr: 0.01, augment: { shiftPixels: 0 } },
    },
    distill: { epochs: 3, lr: 0.01, augment: { shiftPixels: 1 } },
    compress: { prune: { sparsity: 0.5, steps: 2, fineTuneEpochs: 1 }, quantize: 'int8' },
  },
};

/** Everything but the cache flags. */
function figures(r: PreparedStudent) {
  const { cached: _cached, ...rest } = r;
  return rest;
}

let dir = '';

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'fedzip-prepare-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('prepareStudent', () => {
  it('trains, caches, and gives identical figures from the cache, after --force and without a cache', async () => {
    const config = parseExperiment(tiny);
    const cacheDir = join(dir, 'cache');
    const before = tf.memory().numTensors;
    const fresh = await prepareStudent(config, { cacheDir, outDir: join(dir, 'out') });
    expect(tf.memory().numTensors).toBe(before);
    expect(fresh.cached).toEqual({ teacher: false, student: false });

    expect(fresh.teacher!.accuracy).toBeGreaterThan(0.8);
    expect(fresh.student.accuracy).toBeGreaterThan(0.5);
    expect(fresh.teacher!.bytes).toBe(4 * fresh.teacher!.params);
    expect(fresh.student.params).toBe(64 * 8 + 8 + 8 * 4 + 4);
    expect(fresh.studentScratch!.params).toBe(fresh.student.params);
    const c = fresh.compressedStudent;
    expect(c.spec).toMatch(/^thresh:1e-45\+q8\(chunk=\d+\)$/);
    expect(c.sparsity).toBeGreaterThan(0.45); // half the kernels; biases stay
    expect(c.bytes).toBe(c.encoded.length);
    expect(decode(c.encoded)).toEqual(c.weights);
    expect(fresh.layout.totalSize).toBe(fresh.student.params);
    expect(fresh.architecture).toEqual({
      model: { kind: 'mlp', hidden: [8] },
      inputShape: [8, 8, 1],
      numClasses: 4,
    });
    for (const f of [
      'teacher/model.json',
      'teacher/weights.bin',
      'student/model.json',
      'student-scratch/model.json',
    ]) {
      expect(existsSync(join(dir, 'out', f))).toBe(true);
    }
    expect(existsSync(join(dir, 'out', 'student.fz'))).toBe(true);

    const cached = await prepareStudent(config, { cacheDir });
    expect(cached.cached).toEqual({ teacher: true, student: true });
    expect(figures(cached)).toEqual(figures(fresh));
    expect(tf.memory().numTensors).toBe(before);

    const forced = await prepareStudent(config, { cacheDir, force: true });
    expect(forced.cached).toEqual({ teacher: false, student: false });
    expect(figures(forced)).toEqual(figures(fresh));

    const uncached = await prepareStudent(config);
    expect(figures(uncached)).toEqual(figures(fresh));
  });

  it('loads a teacher from a tfjs file, and skips the teacher when distillation is disabled', async () => {
    const config = parseExperiment(tiny);
    const trained = await prepareStudent(config, { cacheDir: join(dir, 'cache'), sensitivity: [0.5, 0.9] });
    expect(trained.sensitivity?.sparsities).toEqual([0.5, 0.9]);
    expect(trained.sensitivity?.rows.map((r) => r.layer)).toEqual(['dense1/kernel', 'logits/kernel']);
    expect(trained.sensitivity?.baseline).toBe(trained.student.accuracy);
    const path = join(dir, 'out', 'teacher', 'model.json');
    const loaded = await prepareStudent(
      parseExperiment({ ...tiny, model: { ...tiny.model, teacher: { path } } }),
    );
    expect(loaded.teacher).toEqual(trained.teacher);

    const off = await prepareStudent(
      parseExperiment({ ...tiny, model: { ...tiny.model, distill: { enabled: false } } }),
    );
    expect(off.teacher).toBeNull();
    expect(off.studentScratch).toBeNull();
    expect(off.compressedStudent.sparsity).toBeGreaterThan(0.45);
  });
});
