/**
 * The runs of `npm run bench:robust`: an experiment config (the default MNIST one) rewritten with
 * an aggregator and an attack. Pure functions over parsed configs, so that they are testable
 * without running anything.
 */
import { type ExperimentConfig, type ExperimentInput, parseExperiment } from '@fedzip/config';

/** An aggregator of the table: its row label and the `strategy` section it puts in the config. */
export interface Aggregator {
  readonly label: string;
  readonly strategy: NonNullable<ExperimentInput['strategy']>;
}

/**
 * The aggregators compared, tuned for 10 clients per round of which about 2 (up to 4) attack:
 * trimmed mean drops β = 0.3 (3 per end ≥ the usual attackers), Krum tolerates f = 3 (2f + 3 = 9 ≤
 * 10), Multi-Krum averages the m = 5 best-scored, centered clipping's radius τ is about one honest
 * sparse update's norm (0.07–0.11 on the default experiment), norm clipping bounds every update by
 * the round's median norm.
 */
export const AGGREGATORS: readonly Aggregator[] = [
  { label: 'fedavg', strategy: { name: 'fedavg' } },
  { label: 'median', strategy: { name: 'median' } },
  { label: 'trimmed-mean β=0.3', strategy: { name: 'trimmed-mean', beta: 0.3 } },
  { label: 'krum f=3', strategy: { name: 'krum', byzantine: 3, multi: 1 } },
  { label: 'multi-krum f=3 m=5', strategy: { name: 'krum', byzantine: 3, multi: 5 } },
  { label: 'centered-clip τ=0.1', strategy: { name: 'centered-clip', radius: 0.1, iterations: 1 } },
  { label: 'norm-clip 1×median', strategy: { name: 'norm-clip', medianMultiple: 1 } },
];

/** The attacks of the benchmark, by name: 20 % of the clients, the config's defaults otherwise. */
export const ATTACKS: Readonly<Record<string, NonNullable<ExperimentInput['attack']>>> = {
  'sign-flip': { kind: 'sign-flip', fraction: 0.2, scale: 10 },
  gaussian: { kind: 'gaussian', fraction: 0.2, sigma: 1 },
  constant: { kind: 'constant', fraction: 0.2, value: 10 },
  'label-flip': { kind: 'label-flip', fraction: 0.2 },
};

/** One run of the benchmark. */
export interface Scenario {
  /** `honest` for the reference run, else the attack's name. */
  readonly attack: string;
  readonly aggregator: string;
  readonly config: ExperimentConfig;
}

/**
 * The config of one run: `base` with `strategy` replaced, `attack` set (or removed for the honest
 * reference), and `rounds` overridden when given. Parsed again, so every default and cross-field
 * check applies.
 */
export function scenarioConfig(
  base: ExperimentConfig,
  strategy: Aggregator['strategy'],
  attack: ExperimentInput['attack'] | undefined,
  rounds?: number,
): ExperimentConfig {
  const { attack: _old, ...rest } = base;
  return parseExperiment({
    ...rest,
    strategy,
    ...(attack !== undefined && { attack }),
    ...(rounds !== undefined && { rounds }),
  } as ExperimentInput);
}

/** The honest FedAvg reference, then every aggregator under each attack. */
export function scenarios(
  base: ExperimentConfig,
  attacks: readonly string[],
  aggregators: readonly Aggregator[] = AGGREGATORS,
  rounds?: number,
): Scenario[] {
  const out: Scenario[] = [
    {
      attack: 'honest',
      aggregator: 'fedavg',
      config: scenarioConfig(base, { name: 'fedavg' }, undefined, rounds),
    },
  ];
  for (const a of attacks) {
    const attack = ATTACKS[a];
    if (attack === undefined)
      throw new RangeError(`unknown attack ${a} (allowed: ${Object.keys(ATTACKS).join(', ')})`);
    for (const g of aggregators) {
      out.push({ attack: a, aggregator: g.label, config: scenarioConfig(base, g.strategy, attack, rounds) });
    }
  }
  return out;
}
