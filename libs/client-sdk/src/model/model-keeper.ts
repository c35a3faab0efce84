/**
 * The client's side of model persistence: restores the model held for an expected experiment
 * before the first `hello` (so that `hello` states its version), and saves every version applied
 * after, one save after another. Store failures never stop the client: they are reported, and the
 * client goes on with what it has in memory (at worst, a restart downloads the full model again).
 */
import { ClientError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TrainingData } from '@fedzip/model';
import { checkDataFits, parseArchitecture } from './architecture.js';
import { LocalModel } from './local-model.js';
import type { ModelKey, ModelStore } from './model-store.js';

/** Restores and saves the held model; see the module comment. */
export class ModelKeeper {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ModelStore | undefined,
    private readonly log: Logger,
    private readonly report: (error: ClientError) => void,
  ) {}

  /**
   * The model stored under `key`, built and holding its version, or null when there is none or it
   * cannot be used (unreadable architecture, data that does not fit it, weights of another layout:
   * each logged). Never rejects.
   */
  async restore(key: ModelKey, data: TrainingData): Promise<LocalModel | null> {
    if (this.store === undefined) return null;
    const where = `experiment ${key.experimentId}, client ${key.clientId}`;
    let stored;
    try {
      stored = await this.store.load(key);
    } catch (e) {
      this.report(
        new ClientError('MODEL_STORE', `loading the model of ${where} failed: ${errorMessage(e)}`, {
          cause: e,
        }),
      );
      return null;
    }
    if (stored === undefined) {
      this.log.debug(`no stored model for ${where}: the server sends the full model`);
      return null;
    }
    let local: LocalModel | null = null;
    try {
      const arch = parseArchitecture(stored.architecture);
      checkDataFits(arch, data);
      local = LocalModel.build(arch);
      if (local.fingerprint !== stored.fingerprint) throw new Error('the weights belong to another layout');
      local.restore(stored.version, stored.weights);
    } catch (e) {
      local?.dispose();
      this.log.warn(`the stored model of ${where} is not usable (${errorMessage(e)}): starting without one`);
      return null;
    }
    this.log.info(`restored model version ${stored.version} of ${where}`);
    return local;
  }

  /**
   * Saves the version `local` holds under `key` (queued behind earlier saves; failures are
   * reported). The held weights are never changed in place, so no snapshot is needed.
   */
  save(key: ModelKey, local: LocalModel): void {
    const store = this.store;
    const version = local.version;
    const weights = local.weights;
    if (store === undefined || version === null || weights === null) return;
    const model = {
      architecture: local.architecture.canonical,
      fingerprint: local.fingerprint,
      version,
      weights,
    };
    this.saving = this.saving
      .then(() => store.save(key, model))
      .catch((e: unknown) => {
        this.report(
          new ClientError('MODEL_STORE', `saving model version ${version} failed: ${errorMessage(e)}`, {
            cause: e,
          }),
        );
      });
  }

  /** Resolves when every queued save has finished. */
  async flush(): Promise<void> {
    await this.saving;
  }
}
