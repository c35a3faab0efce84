/**
 * The client's error-feedback residual across a session's life: one `ResidualMemory` per
 * (experiment, client), loaded from the store on the first join, kept in memory across reconnects,
 * saved after every update that used it, and reset, with a logged reason, when the model's layout
 * changes (a residual is meaningful only for the parameters it was accumulated over).
 *
 * Across model versions of one layout it is kept: it is a carry-over of updates not yet delivered,
 * which is what error feedback is (Stich et al. 2018; Karimireddy et al. 2019).
 */
import { ResidualMemory } from '@fedzip/codec';
import { ClientError, errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import { type ResidualKey, type ResidualStore, residualKeyId } from './residual-store.js';

interface Slot {
  readonly id: string;
  readonly key: ResidualKey;
  readonly fingerprint: string;
  readonly memory: ResidualMemory;
}

/** Owns the residual of the current (experiment, client); see the module comment. */
export class ResidualKeeper {
  private slot: Slot | undefined;
  private loading: Promise<void> = Promise.resolve();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ResidualStore | undefined,
    private readonly log: Logger,
    private readonly report: (error: ClientError) => void,
  ) {}

  /**
   * Binds to `key` and a model layout (`fingerprint`, `length` parameters). Same key and layout
   * (a reconnect): nothing changes. Same key, another layout: the residual is reset and the reset
   * saved. Another key: the residual is loaded from the store. Never rejects: store failures are
   * reported and the residual starts from zero.
   */
  bind(key: ResidualKey, fingerprint: string, length: number): Promise<void> {
    const id = residualKeyId(key);
    const current = this.slot;
    if (current?.id === id && current.fingerprint === fingerprint) return this.loading;
    const slot: Slot = { id, key, fingerprint, memory: new ResidualMemory(length) };
    this.slot = slot;
    if (current?.id === id) {
      this.log.warn(
        `the model's layout changed (${length} parameters now): error-feedback residual reset to zero ` +
          'on purpose, since the old one refers to other parameters',
      );
      this.save();
      return this.loading;
    }
    // Loads run one after another, so a slow load for an old key cannot land after a newer one.
    this.loading = this.loading.then(() => this.load(slot));
    return this.loading;
  }

  /** The residual memory once loading is over, or undefined before the first {@link bind}. */
  async ready(): Promise<ResidualMemory | undefined> {
    await this.loading;
    return this.slot?.memory;
  }

  /** The current memory without waiting (it may still be loading), or undefined. */
  get memory(): ResidualMemory | undefined {
    return this.slot?.memory;
  }

  /** Saves a snapshot of the current residual (queued behind earlier saves; failures are reported). */
  save(): void {
    const slot = this.slot;
    const store = this.store;
    if (slot === undefined || store === undefined) return;
    const values = Float32Array.from(slot.memory.residual);
    this.saving = this.saving
      .then(() => store.save(slot.key, { fingerprint: slot.fingerprint, values }))
      .catch((e: unknown) => {
        this.report(
          new ClientError('RESIDUAL_STORE', `saving the residual failed: ${errorMessage(e)}`, { cause: e }),
        );
      });
  }

  /** Resolves when every queued load and save has finished. */
  async flush(): Promise<void> {
    await this.loading;
    await this.saving;
  }

  private async load(slot: Slot): Promise<void> {
    if (this.store === undefined) return;
    const where = `experiment ${slot.key.experimentId}, client ${slot.key.clientId}`;
    let stored;
    try {
      stored = await this.store.load(slot.key);
    } catch (e) {
      this.report(
        new ClientError('RESIDUAL_STORE', `loading the residual of ${where} failed: ${errorMessage(e)}`, {
          cause: e,
        }),
      );
      return;
    }
    if (this.slot !== slot) return;
    if (stored === undefined) {
      this.log.debug(`no stored error-feedback residual for ${where}: starting from zero`);
    } else if (
      stored.fingerprint !== slot.fingerprint ||
      stored.values.length !== slot.memory.residual.length
    ) {
      this.log.warn(
        `the stored error-feedback residual of ${where} belongs to another model layout ` +
          `(${stored.values.length} values, the model has ${slot.memory.residual.length}): reset to zero on purpose`,
      );
    } else {
      slot.memory.residual.set(stored.values);
      this.log.info(
        `restored the error-feedback residual of ${where} (‖e‖ = ${slot.memory.norm().toPrecision(4)})`,
      );
    }
  }
}
