/**
 * @fedzip/model for browsers: everything but what reads or writes files (tfjs model files, the
 * artifact cache and the experiment pipeline). `index.ts` re-exports this and adds those.
 */
export {
  type BackendInfo,
  type BackendName,
  type BackendOptions,
  type KernelTime,
  backendInfo,
  initBackend,
  profileKernels,
} from './backend.js';
export { type ModelInput, type TrainingData, sampleSize } from './data-types.js';
export { ModelError, type ModelErrorCode } from './errors.js';
export {
  type WeightEntry,
  type WeightLayout,
  getFlatWeights,
  sameLayout,
  setFlatWeights,
  weightLayout,
} from './flat-weights.js';
export {
  type BatchInfo,
  type EpochStats,
  type EvalOptions,
  type EvalResult,
  type InputData,
  type OptimizerName,
  type TrainOptions,
  type TrainResult,
  createOptimizer,
  disposeOptimizer,
  evaluate,
  predictLogits,
  trainLocal,
} from './training.js';
export {
  type CnnConfig,
  type CreateModelOptions,
  type MlpConfig,
  type ModelConfig,
  type ModelKind,
  type TwoNnConfig,
  createModel,
  describeModel,
} from './zoo.js';
export { MAX_COLS_VALUES, WASM_KERNEL_NAMES, registerWasmKernels } from './kernels/wasm-kernels.js';
export { gatherShifted, imageDims, shiftImage } from './distill/augment.js';
export {
  type DistillOptions,
  type FitEpoch,
  type FitOptions,
  type FitResult,
  distill,
  fineTune,
  trainAugmented,
} from './distill/distill.js';
export { type TeacherOptions, type TrainedTeacher, loadTeacher, trainTeacher } from './distill/teacher.js';
export {
  type LayerMask,
  type LayerSparsity,
  MaskApplier,
  type PruneMasks,
  type PruneScope,
  applyMasks,
  kernelsOf,
  magnitudeMasks,
  zeroFraction,
} from './prune/masks.js';
export {
  type CubicSchedule,
  type PruneOptions,
  type PruneResult,
  type PruneStep,
  gradualSchedule,
  pruneModel,
} from './prune/prune.js';
export {
  DEFAULT_SENSITIVITY_SPARSITIES,
  type SensitivityOptions,
  type SensitivityResult,
  type SensitivityRow,
  formatSensitivityTable,
  sensitivityAnalysis,
} from './prune/sensitivity.js';
export {
  type ChunkScales,
  type CompressOptions,
  type CompressedWeights,
  NONZERO_THRESHOLD,
  type QuantizeMode,
  chunkScales,
  compressWeights,
  int8Chunk,
  kmeansChunk,
  valueStage,
} from './compress/compress.js';
