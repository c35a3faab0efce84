/**
 * Simulated Byzantine clients (issue 7): the `attack` section of an experiment config, applied to
 * the simulated devices of `fedzip run` and `npm run bench:robust`. A simulation feature only:
 * nothing here ships in `@fedzip/client-sdk`, which merely offers the `transformUpdate` hook.
 *
 * Model-poisoning attacks rewrite the trained delta before it is encoded (so that it still passes
 * the server's format checks): sign flip −k·Δ (Blanchard et al. 2017's and Karimireddy et al.
 * 2021's baseline), Gaussian noise in place of Δ, a constant vector. Data poisoning (label flip,
 * y → C − 1 − y, Tolpegin et al. 2020) rewrites the client's own labels and trains honestly on them.
 */
import type { AttackConfig } from '@fedzip/config';
import { createRng } from '@fedzip/codec';
import { type Dataset, fillNormal, permutation } from '@fedzip/data';
import type { UpdateTransform } from '@fedzip/client-sdk';

/** How many of `count` clients attack: `fraction × count`, rounded to the nearest integer. */
export function attackerCount(attack: Pick<AttackConfig, 'fraction'>, count: number): number {
  return Math.min(count, Math.round(attack.fraction * count));
}

/**
 * The indices (0-based, ascending) of the attacking clients among `count`: the first
 * {@link attackerCount} of a permutation seeded by `attack.seed`, else by `experimentSeed`.
 * Deterministic: every worker thread computes the same set.
 */
export function attackerIndices(
  attack: Pick<AttackConfig, 'fraction' | 'seed'>,
  count: number,
  experimentSeed: number,
): number[] {
  // A different stream from the partition's and the selection's, which use the experiment seed.
  const rng = createRng(((attack.seed ?? experimentSeed) ^ 0x5eed_a77a) >>> 0);
  return [...permutation(count, rng).subarray(0, attackerCount(attack, count))].sort((a, b) => a - b);
}

/**
 * The update transform of an attacking client, or undefined when the attack acts on data
 * (`label-flip`). Deterministic per round: Gaussian noise is seeded by the attack seed, the client
 * index and the round.
 */
export function attackTransform(
  attack: AttackConfig,
  clientIndex: number,
  experimentSeed: number,
): UpdateTransform | undefined {
  switch (attack.kind) {
    case 'sign-flip':
      return (delta) => signFlip(delta, attack.scale);
    case 'gaussian': {
      const base = attack.seed ?? experimentSeed;
      return (delta, round) =>
        gaussianNoise(
          delta,
          attack.sigma,
          (base ^ Math.imul(clientIndex + 1, 0x9e3779b1) ^ round.roundId) >>> 0,
        );
    }
    case 'constant':
      return (delta) => constantUpdate(delta, attack.value);
    case 'label-flip':
      return undefined;
  }
}

/** Sign flip ×k in place: Δ ← −k·Δ. Returns `delta`. */
export function signFlip(delta: Float32Array, scale: number): Float32Array {
  for (let i = 0; i < delta.length; i++) delta[i] = -scale * delta[i]!;
  return delta;
}

/** Gaussian attack in place: Δ ← N(0, σ²) noise (the trained delta is discarded). Returns `delta`. */
export function gaussianNoise(delta: Float32Array, sigma: number, seed: number): Float32Array {
  return fillNormal(delta, createRng(seed), 0, sigma);
}

/** Constant attack in place: every coordinate of Δ set to `value`. Returns `delta`. */
export function constantUpdate(delta: Float32Array, value: number): Float32Array {
  return delta.fill(value);
}

/**
 * Label flipping: a copy of `data` whose every label y becomes C − 1 − y (C = `numClasses`). The
 * features are shared, not copied.
 */
export function flipLabels(data: Dataset): Dataset {
  const c = data.numClasses;
  const y = data.y.map((v) => c - 1 - v);
  return { ...data, y };
}

/** What a simulated device needs to attack: its data (flipped or not) and an update transform. */
export interface DeviceAttack {
  readonly data: Dataset;
  readonly transformUpdate?: UpdateTransform;
}

/**
 * Applies an experiment's `attack` (if any) to simulated client `index`: honest clients get their
 * data back unchanged and no transform.
 */
export function attackDevice(
  attack: AttackConfig | undefined,
  index: number,
  count: number,
  experimentSeed: number,
  data: Dataset,
): DeviceAttack {
  if (attack === undefined || !attackerIndices(attack, count, experimentSeed).includes(index))
    return { data };
  const transformUpdate = attackTransform(attack, index, experimentSeed);
  return {
    data: attack.kind === 'label-flip' ? flipLabels(data) : data,
    ...(transformUpdate && { transformUpdate }),
  };
}
