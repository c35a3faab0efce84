import type * as z from 'zod';
import type { ExperimentSchema } from './schema/experiment.js';
import type { OPTIMIZERS } from './schema/sections.js';

/** A parsed experiment: every default filled, every cross-field rule checked. */
export type ExperimentConfig = z.output<typeof ExperimentSchema>;
/** What an experiment file may contain: every field optional. */
export type ExperimentInput = z.input<typeof ExperimentSchema>;

/** `data`: dataset, split and partitioner. */
export type DataConfig = ExperimentConfig['data'];
/** `data.split`: test / proxy / clients sizes. */
export type SplitConfig = DataConfig['split'];
/** `data.synthetic`, filled when `data.dataset` is `synthetic`. */
export type SyntheticConfig = NonNullable<DataConfig['synthetic']>;
/** `data.partition`: one of iid, dirichlet, shards, quantity. */
export type PartitionConfig = DataConfig['partition'];
/** `clients`: population, selection, quorum and deadline. */
export type ClientsConfig = ExperimentConfig['clients'];
/** `model`: student, teacher, distillation and compression. */
export type ModelConfig = ExperimentConfig['model'];
/** A model architecture: mlp, 2nn or cnn. */
export type ModelSpec = ModelConfig['student'];
/** `model.teacher`. */
export type TeacherConfig = ModelConfig['teacher'];
/** `model.teacher.training`. */
export type TeacherTrainingConfig = TeacherConfig['training'];
/** `model.distill`. */
export type DistillConfig = ModelConfig['distill'];
/** `model.compress`. */
export type CompressConfig = ModelConfig['compress'];
/** `model.compress.prune`. */
export type PruneConfig = CompressConfig['prune'];
/** `training`: client-local training. */
export type TrainingConfig = ExperimentConfig['training'];
/** `strategy`: the server aggregation strategy. */
export type StrategyConfig = ExperimentConfig['strategy'];
/** The strategy names. */
export type StrategyName = StrategyConfig['name'];
/** `compression`: uplink and downlink codec specs. */
export type CompressionConfig = ExperimentConfig['compression'];
/** `evaluation`. */
export type EvaluationConfig = ExperimentConfig['evaluation'];
/** `attack`: simulated Byzantine clients (absent: all honest). */
export type AttackConfig = NonNullable<ExperimentConfig['attack']>;
/** The attack kinds. */
export type AttackKind = AttackConfig['kind'];
/** `server`. */
export type ServerConfig = ExperimentConfig['server'];
/** `robustness`: update checks beyond the protocol's (the norm bound). */
export type RobustnessConfig = ExperimentConfig['robustness'];
/** `privacy`: client-level differential privacy (docs/privacy.md). */
export type PrivacyConfig = ExperimentConfig['privacy'];
/** Optimizers of every training loop. */
export type OptimizerName = (typeof OPTIMIZERS)[number];
