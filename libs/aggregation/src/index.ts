/**
 * @fedzip/aggregation: how the coordinator turns a round of compressed client deltas into the
 * next global model. A streaming accumulator (O(model) memory), Flower's `Strategy` cut adapted
 * to deltas, FedAvg / FedProx / FedAvgM / FedAdam / FedYogi / FedAdagrad, the Byzantine-robust
 * median, trimmed mean, Krum and centered clipping, and a norm-clipping wrapper. Pure math lives
 * in plain functions over typed arrays; classes hold state. Imports only `@fedzip/codec`.
 */
export { AggregationError, type AggregationErrorCode } from './errors.js';
export {
  type AccumulatorOptions,
  type AddOutcome,
  type AddReport,
  UpdateAccumulator,
} from './accumulator.js';
export {
  type CollectOutcome,
  type CollectorOptions,
  type RejectionCode,
  RoundCollector,
} from './collector.js';
export { type SelectionOptions, checkSelection, sampleSize, selectClients } from './selection.js';
export type {
  AggregationInput,
  ClientFit,
  ClientUpdate,
  EvaluateFn,
  EvaluationResult,
  FitFailure,
  FitInstructions,
  FitResults,
  MeanResults,
  PerClientResults,
  Strategy,
  StrategyState,
} from './strategy.js';
export { BaseStrategy, type BaseStrategyOptions, type StepResult } from './strategies/base-strategy.js';
export {
  FedAvg,
  type FedAvgOptions,
  FedAvgM,
  type FedAvgMOptions,
  FedProx,
  type FedProxOptions,
} from './strategies/fedavg.js';
export {
  FEDOPT_DEFAULTS,
  FedAdagrad,
  FedAdam,
  FedOpt,
  type FedOptOptions,
  FedYogi,
} from './strategies/fedopt.js';
export {
  CenteredClipping,
  type CenteredClippingOptions,
  FedMedian,
  FedTrimmedMean,
  Krum,
  type KrumOptions,
  type RobustOptions,
  RobustStrategy,
  type TrimmedMeanOptions,
} from './strategies/robust.js';
export { NormClipping, type NormClippingOptions } from './strategies/norm-clipping.js';
export {
  type CenteredClipConfig,
  type CommonStrategyConfig,
  type FedAdagradConfig,
  type FedAvgConfig,
  type FedAvgMConfig,
  type FedOptConfig,
  type FedProxConfig,
  type KrumConfig,
  type MedianConfig,
  STRATEGY_NAMES,
  type StrategyConfig,
  type StrategyHooks,
  type StrategyName,
  type TrimmedMeanConfig,
  createStrategy,
} from './factory.js';
export {
  type FedOptParams,
  type FedOptVariant,
  fedAvgMStep,
  fedAvgStep,
  fedOptStep,
} from './math/server-steps.js';
export { coordinateMedian, trimCount, trimmedMean } from './math/coordinate-wise.js';
export { krumMinClients, krumScores, krumSelect, multiKrum } from './math/krum.js';
export { centeredClip } from './math/centered-clip.js';
export { type Vector, allFinite, clipScale, l2Norm, squaredDistance, weightedMean } from './math/vector.js';
export { CentralDp, type CentralDpOptions } from './strategies/dp-fedavg.js';
