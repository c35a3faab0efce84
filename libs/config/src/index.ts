/**
 * @fedzip/config: the experiment config. One zod schema with a default for every field
 * ({@link ExperimentSchema}), parsing with readable errors ({@link parseExperiment},
 * {@link ConfigError}), loading YAML or JSON files ({@link loadExperiment}) and stable hashes of
 * sub-configs for caching ({@link configHash}). The reference is docs/config.md. No Nest,
 * Socket.IO or tfjs here; loading and hashing use `node:fs` and `node:crypto`.
 */
export { ConfigError, type ConfigIssue, formatIssue, formatPath } from './errors.js';
export {
  type LineOf,
  type ParseOptions,
  type ParseResult,
  defaultExperiment,
  parseExperiment,
  safeParseExperiment,
  toConfigIssues,
} from './parse.js';
export {
  type ConfigFile,
  type LoadOptions,
  loadExperiment,
  mergeOverrides,
  parseExperimentText,
  readConfigFile,
  readConfigText,
} from './load.js';
export { ARTIFACT_KEY_VERSION, type ArtifactKeys, artifactKeys, canonicalJson, configHash } from './hash.js';
export { schemaKeyPaths } from './walk.js';
export {
  ExperimentSchema,
  NAME_PATTERN,
  type SplitSizes,
  defaultMaxSampleCount,
  splitSizes,
} from './schema/experiment.js';
export {
  AttackSchema,
  ClientsSchema,
  CompressSchema,
  CompressionSchema,
  DataSchema,
  DistillSchema,
  EvaluationSchema,
  MNIST_DIGITS,
  ModelSchema,
  ModelSpecSchema,
  OPTIMIZERS,
  PartitionSchema,
  PruneSchema,
  type QuantizeSpec,
  QuantitySizesSchema,
  ROBUST_STRATEGIES,
  NormBoundSchema,
  RobustnessSchema,
  SampleCountSchema,
  ServerSchema,
  SplitSchema,
  StrategySchema,
  SyntheticSchema,
  TeacherSchema,
  TeacherTrainingSchema,
  TrainingSchema,
  parseQuantize,
} from './schema/sections.js';
export type * from './types.js';
