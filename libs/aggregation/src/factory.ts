import { AggregationError, checkConfig } from './errors.js';
import type { BaseStrategyOptions } from './strategies/base-strategy.js';
import { FedAdagrad, FedAdam, FedYogi } from './strategies/fedopt.js';
import { FedAvg, FedAvgM, FedProx } from './strategies/fedavg.js';
import { NormClipping, type NormClippingOptions } from './strategies/norm-clipping.js';
import { CenteredClipping, FedMedian, FedTrimmedMean, Krum } from './strategies/robust.js';
import type { EvaluateFn, Strategy } from './strategy.js';

/** Options every strategy config accepts. */
export interface CommonStrategyConfig {
  /** Fraction of available clients per round, in (0, 1]. */
  readonly fraction?: number;
  /** Clients per round (instead of `fraction`). */
  readonly clientsPerRound?: number;
  /** Fewest clients a round starts with. */
  readonly minClients?: number;
  /** Fewest available clients before any round starts. */
  readonly minAvailable?: number;
  /** Fewest accepted updates that make a model. */
  readonly minResults?: number;
  /** Aggregate despite failed clients (default true). */
  readonly acceptFailures?: boolean;
  /** Server-side evaluation every N rounds (default 1). */
  readonly evaluateEvery?: number;
  /** Server learning rate η. */
  readonly serverLr?: number;
  /** Wrap the strategy in {@link NormClipping}. */
  readonly clip?: NormClippingOptions;
}

/** FedAvg (McMahan et al. 2017). */
export interface FedAvgConfig extends CommonStrategyConfig {
  readonly name: 'fedavg';
}
/** FedProx (Li et al. 2020): FedAvg plus the clients' proximal μ. */
export interface FedProxConfig extends CommonStrategyConfig {
  readonly name: 'fedprox';
  readonly proximalMu: number;
}
/** FedAvgM (Hsu et al. 2019). */
export interface FedAvgMConfig extends CommonStrategyConfig {
  readonly name: 'fedavgm';
  readonly momentum?: number;
}
/** FedAdam and FedYogi (Reddi et al. 2021). */
export interface FedOptConfig extends CommonStrategyConfig {
  readonly name: 'fedadam' | 'fedyogi';
  readonly beta1?: number;
  readonly beta2?: number;
  readonly tau?: number;
}
/** FedAdagrad (Reddi et al. 2021): no β2. */
export interface FedAdagradConfig extends CommonStrategyConfig {
  readonly name: 'fedadagrad';
  readonly beta1?: number;
  readonly tau?: number;
}
/** Coordinate-wise median (Yin et al. 2018). */
export interface MedianConfig extends CommonStrategyConfig {
  readonly name: 'median';
}
/** Coordinate-wise trimmed mean (Yin et al. 2018). */
export interface TrimmedMeanConfig extends CommonStrategyConfig {
  readonly name: 'trimmed-mean';
  readonly beta?: number;
}
/** Krum / Multi-Krum (Blanchard et al. 2017). */
export interface KrumConfig extends CommonStrategyConfig {
  readonly name: 'krum';
  readonly byzantine: number;
  readonly multi?: number;
}
/** Centered clipping (Karimireddy et al. 2021). */
export interface CenteredClipConfig extends CommonStrategyConfig {
  readonly name: 'centered-clip';
  readonly radius: number;
  readonly iterations?: number;
}

/** A strategy as the experiment config names it: a union discriminated by `name`. */
export type StrategyConfig =
  | FedAvgConfig
  | FedProxConfig
  | FedAvgMConfig
  | FedOptConfig
  | FedAdagradConfig
  | MedianConfig
  | TrimmedMeanConfig
  | KrumConfig
  | CenteredClipConfig;

/** Every strategy name {@link createStrategy} knows. */
export type StrategyName = StrategyConfig['name'];

const COMMON_KEYS = [
  'name',
  'fraction',
  'clientsPerRound',
  'minClients',
  'minAvailable',
  'minResults',
  'acceptFailures',
  'evaluateEvery',
  'serverLr',
  'clip',
] as const;

/** The keys each strategy accepts beyond {@link CommonStrategyConfig}. */
const EXTRA_KEYS: Readonly<Record<StrategyName, readonly string[]>> = {
  fedavg: [],
  fedprox: ['proximalMu'],
  fedavgm: ['momentum'],
  fedadam: ['beta1', 'beta2', 'tau'],
  fedyogi: ['beta1', 'beta2', 'tau'],
  fedadagrad: ['beta1', 'tau'],
  median: [],
  'trimmed-mean': ['beta'],
  krum: ['byzantine', 'multi'],
  'centered-clip': ['radius', 'iterations'],
};

/** The strategy names {@link createStrategy} accepts. */
export const STRATEGY_NAMES: readonly StrategyName[] = Object.keys(EXTRA_KEYS) as StrategyName[];

/** Code-side hooks that have no place in a config file. */
export interface StrategyHooks {
  /** Server-side evaluation of each new global model. */
  readonly evaluate?: EvaluateFn;
}

/**
 * Builds a strategy from its config (e.g. parsed from the experiment YAML). Unknown names,
 * unknown keys, missing required values and values out of range throw an `AggregationError`
 * `BAD_CONFIG` whose `field` names the key and whose message says what is allowed.
 */
export function createStrategy(config: StrategyConfig, hooks: StrategyHooks = {}): Strategy {
  checkConfig(
    typeof config === 'object' && config !== null,
    'strategy',
    `must be an object with a name, got ${String(config)}`,
  );
  const name = (config as { name?: unknown }).name;
  checkConfig(
    typeof name === 'string' && Object.hasOwn(EXTRA_KEYS, name),
    'name',
    `unknown strategy ${JSON.stringify(name)}; allowed: ${STRATEGY_NAMES.join(', ')}`,
  );
  const allowed: readonly string[] = [...COMMON_KEYS, ...EXTRA_KEYS[config.name]];
  for (const key of Object.keys(config)) {
    checkConfig(
      allowed.includes(key),
      key,
      `is not an option of ${config.name}; allowed: ${allowed.join(', ')}`,
    );
  }
  for (const [key, v] of Object.entries(config)) {
    if (key === 'name' || key === 'clip') continue;
    if (key === 'acceptFailures')
      checkConfig(typeof v === 'boolean', key, `must be true or false, got ${String(v)}`);
    else checkConfig(typeof v === 'number', key, `must be a number, got ${JSON.stringify(v)}`);
  }
  const base: BaseStrategyOptions & { serverLr?: number } = {
    ...pick(config, [
      'fraction',
      'clientsPerRound',
      'minClients',
      'minAvailable',
      'minResults',
      'acceptFailures',
    ]),
    ...pick(config, ['evaluateEvery', 'serverLr']),
    ...(hooks.evaluate && { evaluate: hooks.evaluate }),
  };
  const strategy = build(config, base);
  if (config.clip === undefined) return strategy;
  checkConfig(typeof config.clip === 'object' && config.clip !== null, 'clip', 'must be an object');
  for (const key of Object.keys(config.clip)) {
    checkConfig(
      ['maxNorm', 'medianMultiple', 'action'].includes(key),
      `clip.${key}`,
      'is not a clip option; allowed: maxNorm, medianMultiple, action',
    );
  }
  return new NormClipping(strategy, config.clip);
}

function build(c: StrategyConfig, base: BaseStrategyOptions & { serverLr?: number }): Strategy {
  switch (c.name) {
    case 'fedavg':
      return new FedAvg(base);
    case 'fedprox':
      checkConfig(c.proximalMu !== undefined, 'proximalMu', 'is required by fedprox (a number ≥ 0)');
      return new FedProx({ ...base, proximalMu: c.proximalMu });
    case 'fedavgm':
      return new FedAvgM({ ...base, ...pick(c, ['momentum']) });
    case 'fedadam':
      return new FedAdam({ ...base, ...pick(c, ['beta1', 'beta2', 'tau']) });
    case 'fedyogi':
      return new FedYogi({ ...base, ...pick(c, ['beta1', 'beta2', 'tau']) });
    case 'fedadagrad':
      return new FedAdagrad({ ...base, ...pick(c, ['beta1', 'tau']) });
    case 'median':
      return new FedMedian(base);
    case 'trimmed-mean':
      return new FedTrimmedMean({ ...base, ...pick(c, ['beta']) });
    case 'krum':
      checkConfig(
        c.byzantine !== undefined,
        'byzantine',
        'is required by krum (the number f of attackers to tolerate)',
      );
      return new Krum({ ...base, byzantine: c.byzantine, ...pick(c, ['multi']) });
    case 'centered-clip':
      checkConfig(c.radius !== undefined, 'radius', 'is required by centered-clip (a number > 0)');
      return new CenteredClipping({ ...base, radius: c.radius, ...pick(c, ['iterations']) });
    default:
      throw new AggregationError(
        'BAD_CONFIG',
        `unknown strategy ${JSON.stringify((c as { name: unknown }).name)}`,
        'name',
      );
  }
}

/** The defined keys of `o` among `keys`. */
function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
