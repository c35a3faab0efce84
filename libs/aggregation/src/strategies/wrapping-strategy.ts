import type { Rng } from '@fedzip/codec';
import { AggregationError } from '../errors.js';
import type {
  AggregationInput,
  EvaluationResult,
  FitFailure,
  FitInstructions,
  FitResults,
  Strategy,
  StrategyState,
} from '../strategy.js';

/**
 * A strategy that wraps another (norm clipping, central DP): selection, fit config, evaluation
 * and optimizer state are the inner strategy's; its state travels under the wrapper's name, so a
 * checkpoint of `clip(fedavgm)` cannot be imported into plain `fedavgm`. Subclasses implement
 * `aggregate` (and may refine `configureRound`).
 */
export abstract class WrappingStrategy implements Strategy {
  abstract readonly needs: AggregationInput;

  constructor(
    readonly inner: Strategy,
    /** `<wrapper>(<inner name>)`. */
    readonly name: string,
  ) {}

  /** {@inheritDoc Strategy.configureRound} */
  configureRound(round: number, availableClientIds: readonly string[], rng: Rng): string[] {
    return this.inner.configureRound(round, availableClientIds, rng);
  }

  /** {@inheritDoc Strategy.fitConfig} */
  fitConfig(round: number): FitInstructions {
    return this.inner.fitConfig(round);
  }

  abstract aggregate(
    round: number,
    global: Float32Array,
    results: FitResults,
    failures: readonly FitFailure[],
  ): Float32Array | null;

  /** {@inheritDoc Strategy.evaluate} */
  async evaluate(round: number, global: Float32Array): Promise<EvaluationResult | null> {
    return this.inner.evaluate ? this.inner.evaluate(round, global) : null;
  }

  /** {@inheritDoc Strategy.exportState} */
  exportState(): StrategyState {
    return { strategy: this.name, arrays: this.inner.exportState().arrays };
  }

  /** {@inheritDoc Strategy.importState} */
  importState(state: StrategyState): void {
    if (state.strategy !== this.name) {
      throw new AggregationError(
        'BAD_STATE',
        `state of "${state.strategy}" cannot be imported into "${this.name}"`,
      );
    }
    this.inner.importState({ strategy: this.inner.name, arrays: state.arrays });
  }
}
