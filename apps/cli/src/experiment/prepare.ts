import { randomBytes } from 'node:crypto';
import type { ExperimentConfig } from '@fedzip/config';
import {
  type ExperimentData,
  type PreparedStudent,
  createModel,
  evaluate,
  initBackend,
  loadExperimentData,
  prepareStudent,
  setFlatWeights,
} from '@fedzip/model';
import type { ExperimentSetup } from '../../../coordinator/src/index.js';
import { clientDataset } from './client-data.js';

/** A ready-to-run experiment: the coordinator's setup, the data, and the prepared student. */
export interface PreparedExperiment {
  readonly setup: ExperimentSetup;
  readonly data: ExperimentData;
  readonly student: PreparedStudent;
}

/** Options of {@link prepareExperiment}. */
export interface PrepareExperimentOptions {
  /** Where teacher and student are cached (git-ignored). Default `.cache`. */
  readonly cacheDir?: string;
  /** Retrain teacher and student even when cached. */
  readonly force?: boolean;
  readonly log?: (line: string) => void;
  /** The experiment id; default: the config's name and 6 random hex digits. */
  readonly id?: string;
  /** The shared join token clients may present; default: a fresh random one ('' for none). */
  readonly joinToken?: string;
  /** The key of the experiment's signed join tokens; default: none (shared token only). */
  readonly joinSecret?: string;
  /**
   * The dashboard's admin token; default: `FEDZIP_ADMIN_TOKEN` from the environment, else the
   * config's `server.adminToken`, else a fresh random one.
   */
  readonly adminToken?: string;
}

/**
 * Turns a config into a coordinator setup: loads the data split, trains (or loads from the cache)
 * the teacher and the distilled, compressed student, and binds server-side evaluation on the test
 * split. Version 0 of the global model is the decoded compressed student, and its encoded bytes
 * are the first download.
 */
export async function prepareExperiment(
  config: ExperimentConfig,
  options: PrepareExperimentOptions = {},
): Promise<PreparedExperiment> {
  await initBackend();
  const data = await loadExperimentData(config);
  const student = await prepareStudent(config, {
    cacheDir: options.cacheDir ?? '.cache',
    force: options.force ?? false,
    data,
    ...(options.log ? { log: options.log } : {}),
  });
  const arch = student.architecture;
  const model = createModel(arch.model, { shape: arch.inputShape, numClasses: arch.numClasses }, { seed: 0 });
  const batchSize = config.evaluation.batchSize;
  const setup: ExperimentSetup = {
    // A fresh id per run: a device still holding a model of an earlier run of the same config
    // must not receive deltas on top of it (the client resets when the experiment id changes).
    id: options.id ?? `${config.name}-${randomBytes(3).toString('hex')}`,
    config,
    architecture: arch,
    layout: student.layout.entries.map((e) => ({ name: e.name, shape: [...e.shape] })),
    initialWeights: student.compressedStudent.weights,
    initialDownload: student.compressedStudent.encoded,
    joinToken: options.joinToken ?? randomBytes(18).toString('base64url'),
    ...(options.joinSecret ? { joinSecret: options.joinSecret } : {}),
    clientData: (index) => clientDataset(config, index, data),
    adminToken: resolveAdminToken(config, options.adminToken),
    evaluate: async (weights) => {
      setFlatWeights(model, weights);
      const r = await evaluate(model, data.test, { batchSize });
      return { accuracy: r.accuracy, loss: r.loss };
    },
  };
  return { setup, data, student };
}

/**
 * The admin token of an experiment: the explicit option, else `FEDZIP_ADMIN_TOKEN`, else the
 * config's `server.adminToken`, else 24 random bytes (base64url).
 */
export function resolveAdminToken(
  config: ExperimentConfig | undefined,
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromEnv = env['FEDZIP_ADMIN_TOKEN'];
  return (
    explicit ||
    (fromEnv && fromEnv.length > 0 ? fromEnv : undefined) ||
    config?.server.adminToken ||
    randomBytes(24).toString('base64url')
  );
}
