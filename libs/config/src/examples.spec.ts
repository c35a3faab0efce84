import { describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPERIMENTS } from './__tests__/paths.js';
import { artifactKeys, defaultExperiment, loadExperiment } from './index.js';
import type { ExperimentConfig } from './index.js';

const load = (name: string): ExperimentConfig => loadExperiment(join(EXPERIMENTS, name));

/** `config` without the named top-level keys. */
function without(config: ExperimentConfig, ...keys: (keyof ExperimentConfig)[]): Partial<ExperimentConfig> {
  const copy: Partial<ExperimentConfig> = { ...config };
  for (const k of keys) delete copy[k];
  return copy;
}

describe('experiments/', () => {
  const files = readdirSync(EXPERIMENTS).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('holds the default, the uncompressed baseline, the IID variant and the distill defaults', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'mnist-default.yaml',
        'mnist-uncompressed.yaml',
        'mnist-iid.yaml',
        'mnist-distill.yaml',
      ]),
    );
  });

  it.each(files)('%s parses, named after its file', (file) => {
    const config = load(file);
    expect(config.name).toBe(file.replace(/\.[^.]+$/, ''));
  });

  it('mnist-default.yaml is the setup of issue 4', () => {
    const c = load('mnist-default.yaml');
    expect(c.seed).toBe(42);
    expect(c.rounds).toBe(30);
    expect(c.data).toMatchObject({ dataset: 'mnist', split: { test: 2000, proxy: 2000 } });
    expect(c.data.partition).toEqual({ kind: 'dirichlet', alpha: 0.5, balance: true });
    expect(c.clients).toMatchObject({ count: 20, perRound: 10 });
    expect(c.model.student).toEqual({ kind: 'cnn', filters: [8, 16], dense: 64, kernelSize: 5 });
    expect(c.model.teacher.model).toEqual({ kind: 'cnn', filters: [32, 64], dense: 512, kernelSize: 5 });
    expect(c.model.distill).toMatchObject({ enabled: true, temperature: 4, alpha: 0.9 });
    expect(c.compression).toEqual({
      uplink: 'topk:0.01+sign',
      errorFeedback: true,
      downlink: 'topk:0.1+q8',
      downlinkFull: 'q8(chunk=256)',
    });
  });

  it('an empty config is the default experiment (change both together)', () => {
    expect(without(defaultExperiment(), 'name')).toEqual(without(load('mnist-default.yaml'), 'name'));
  });

  it('mnist-uncompressed.yaml differs from the default only in compression', () => {
    const base = load('mnist-default.yaml');
    const raw = load('mnist-uncompressed.yaml');
    expect(raw.compression).toEqual({
      uplink: 'none',
      errorFeedback: false,
      downlink: 'none',
      downlinkFull: 'none',
    });
    expect(without(raw, 'name', 'compression')).toEqual(without(base, 'name', 'compression'));
  });

  it('mnist-iid.yaml differs from the default only in the partition', () => {
    const base = load('mnist-default.yaml');
    const iid = load('mnist-iid.yaml');
    expect(iid.data.partition).toEqual({ kind: 'iid' });
    expect({ ...iid, name: '', data: { ...iid.data, partition: null } }).toEqual({
      ...base,
      name: '',
      data: { ...base.data, partition: null },
    });
  });

  it('mnist-distill.yaml builds the same teacher and student as the federated examples', () => {
    const distill = load('mnist-distill.yaml');
    const keys = artifactKeys(distill);
    for (const file of ['mnist-default.yaml', 'mnist-uncompressed.yaml', 'mnist-iid.yaml']) {
      expect(artifactKeys(load(file))).toEqual(keys);
    }
    expect(distill.model).toEqual(load('mnist-default.yaml').model);
  });
});
