import type { Rng } from '@fedzip/codec';
import { AggregationError, checkConfig } from '../errors.js';
import { allFinite } from '../math/vector.js';
import { type SelectionOptions, checkSelection, selectClients } from '../selection.js';
import type {
  AggregationInput,
  EvaluateFn,
  EvaluationResult,
  FitFailure,
  FitInstructions,
  FitResults,
  MeanResults,
  PerClientResults,
  Strategy,
  StrategyState,
} from '../strategy.js';

/** Options every strategy takes. */
export interface BaseStrategyOptions extends SelectionOptions {
  /** Fewest accepted updates that make a model; fewer and `aggregate` returns null. Default 1. */
  readonly minResults?: number;
  /** Aggregate despite failed clients (default true); false makes any failure fail the round. */
  readonly acceptFailures?: boolean;
  /** Server-side evaluation of each new global model (Flower's `evaluate_fn`). */
  readonly evaluate?: EvaluateFn;
  /** Evaluate every this many rounds (default 1): rounds that are multiples of it. */
  readonly evaluateEvery?: number;
  /** Instructions sent to every client with its assignment (e.g. `{ proximalMu: 0.01 }`). */
  readonly fitConfig?: FitInstructions;
}

/**
 * What a step proposes: the next weights, and a `commit` that makes the strategy's new state
 * current. The base class commits only when the weights are all finite, so a failed round never
 * moves the optimizer state.
 */
export interface StepResult {
  readonly weights: Float32Array;
  readonly commit?: () => void;
}

/**
 * The shared part of every strategy: seeded client selection, the `minResults` /
 * `acceptFailures` rules and the shape checks of `aggregate`, server-side evaluation, and state
 * export/import. Subclasses supply {@link BaseStrategy.step} and their state arrays.
 */
export abstract class BaseStrategy implements Strategy {
  abstract readonly name: string;
  abstract readonly needs: AggregationInput;
  /** Fewest accepted updates that make a model. */
  readonly minResults: number;
  protected readonly acceptFailures: boolean;
  private readonly selection: SelectionOptions;
  private readonly evaluateFn: EvaluateFn | undefined;
  private readonly evaluateEvery: number;
  private readonly instructions: FitInstructions;

  protected constructor(options: BaseStrategyOptions = {}) {
    checkSelection(options);
    const minResults = options.minResults ?? 1;
    checkConfig(
      Number.isSafeInteger(minResults) && minResults >= 1,
      'minResults',
      `must be an integer ≥ 1, got ${minResults}`,
    );
    const every = options.evaluateEvery ?? 1;
    checkConfig(
      Number.isSafeInteger(every) && every >= 1,
      'evaluateEvery',
      `must be an integer ≥ 1, got ${every}`,
    );
    this.minResults = minResults;
    this.acceptFailures = options.acceptFailures ?? true;
    this.selection = {
      ...(options.fraction !== undefined && { fraction: options.fraction }),
      ...(options.clientsPerRound !== undefined && { clientsPerRound: options.clientsPerRound }),
      ...(options.minClients !== undefined && { minClients: options.minClients }),
      ...(options.minAvailable !== undefined && { minAvailable: options.minAvailable }),
    };
    this.evaluateFn = options.evaluate;
    this.evaluateEvery = every;
    this.instructions = Object.freeze({ ...options.fitConfig });
  }

  /** {@inheritDoc Strategy.configureRound} */
  configureRound(_round: number, availableClientIds: readonly string[], rng: Rng): string[] {
    return selectClients(availableClientIds, this.selection, rng);
  }

  /** {@inheritDoc Strategy.fitConfig} */
  fitConfig(_round: number): FitInstructions {
    return this.instructions;
  }

  /** {@inheritDoc Strategy.aggregate} */
  aggregate(
    round: number,
    global: Float32Array,
    results: FitResults,
    failures: readonly FitFailure[],
  ): Float32Array | null {
    checkShape(this, global, results);
    if (!this.acceptFailures && failures.length > 0) return null;
    if (results.clients.length < this.minResults) return null;
    const r = this.step(round, global, results);
    if (r === null || !allFinite(r.weights)) return null;
    r.commit?.();
    return r.weights;
  }

  /** {@inheritDoc Strategy.evaluate} */
  async evaluate(round: number, global: Float32Array): Promise<EvaluationResult | null> {
    if (!this.evaluateFn || round % this.evaluateEvery !== 0) return null;
    return (await this.evaluateFn(round, global)) ?? null;
  }

  /** {@inheritDoc Strategy.exportState} */
  exportState(): StrategyState {
    const arrays: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(this.getState() ?? {})) arrays[k] = v.slice();
    return { strategy: this.name, arrays };
  }

  /** {@inheritDoc Strategy.importState} */
  importState(state: StrategyState): void {
    if (state.strategy !== this.name) {
      throw new AggregationError(
        'BAD_STATE',
        `state of "${state.strategy}" cannot be imported into "${this.name}"`,
      );
    }
    const names = Object.keys(state.arrays);
    if (names.length === 0) {
      this.setState(null);
      return;
    }
    const want = this.stateNames();
    const missing = want.filter((k) => !(state.arrays[k] instanceof Float32Array));
    const extra = names.filter((k) => !want.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new AggregationError(
        'BAD_STATE',
        `"${this.name}" state holds Float32Arrays ${want.join(', ') || '(none)'}; ` +
          `missing: ${missing.join(', ') || '-'}, unexpected: ${extra.join(', ') || '-'}`,
      );
    }
    const len = state.arrays[want[0]!]!.length;
    const copy: Record<string, Float32Array> = {};
    for (const k of want) {
      const a = state.arrays[k]!;
      if (a.length !== len)
        throw new AggregationError('BAD_STATE', `state array ${k} has ${a.length} elements, not ${len}`);
      if (!allFinite(a)) throw new AggregationError('BAD_STATE', `state array ${k} is not finite`);
      copy[k] = a.slice();
    }
    this.setState(copy);
  }

  /**
   * Proposes the next global model from results already checked against `needs` and `global`,
   * without committing any state; null when the results cannot make a model.
   */
  protected abstract step(round: number, global: Float32Array, results: FitResults): StepResult | null;

  /** Names of the state arrays (empty for stateless strategies). */
  protected stateNames(): readonly string[] {
    return [];
  }

  /** The live state arrays, or null before the first round. */
  protected getState(): Record<string, Float32Array> | null {
    return null;
  }

  /** Replaces the state (null: back to the initial state). */
  protected setState(_arrays: Record<string, Float32Array> | null): void {}

  /** Throws `BAD_STATE` when a state array's length disagrees with the model. */
  protected checkStateLength(n: number): void {
    for (const [k, a] of Object.entries(this.getState() ?? {})) {
      if (a.length !== n) {
        throw new AggregationError(
          'BAD_STATE',
          `state array ${k} has ${a.length} elements, the model has ${n}`,
        );
      }
    }
  }
}

/** Checks that `results` have the shape `strategy.needs` names and the length of `global`. */
export function checkShape(
  strategy: Pick<Strategy, 'name' | 'needs' | 'clipNorm'>,
  global: Float32Array,
  results: FitResults,
): void {
  const bad = (why: string): never => {
    throw new AggregationError('BAD_RESULTS', `${strategy.name}: ${why}`);
  };
  if (results.kind !== strategy.needs) bad(`needs '${strategy.needs}' results, got '${results.kind}'`);
  if (
    strategy.clipNorm !== undefined &&
    !(results.clipNorm !== undefined && results.clipNorm <= strategy.clipNorm)
  ) {
    bad(`updates must be clipped to norm ${strategy.clipNorm}, got ${results.clipNorm ?? 'unclipped'}`);
  }
  if (results.kind === 'mean') {
    const r = results as MeanResults;
    if (r.mean.length !== global.length)
      bad(`mean has ${r.mean.length} elements, the model ${global.length}`);
  } else {
    for (const c of (results as PerClientResults).clients) {
      if (c.delta.length !== global.length) {
        bad(`client ${c.clientId} sent ${c.delta.length} elements, the model has ${global.length}`);
      }
    }
  }
}
