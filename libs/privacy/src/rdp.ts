/**
 * Rényi-DP accounting of the sampled Gaussian mechanism (Mironov, Talwar & Zhang 2019, "Rényi
 * Differential Privacy of the Sampled Gaussian Mechanism"), ported from TensorFlow Privacy's
 * `rdp_accountant.py` (`_compute_log_a_int`, `_compute_log_a_frac`, `_compute_rdp`,
 * `_compute_eps`; Opacus' `analysis/rdp.py` is the same code). Pure numbers, no dependencies.
 *
 * The mechanism: each record (here: each client) is included with probability q (Poisson
 * sampling), the included contributions of L2 norm ≤ C are summed, and N(0, σ²C²) is added to every
 * coordinate. Its RDP at order α is log(A_α)/(α − 1); T rounds compose by adding RDP; the (ε, δ)
 * conversion is the improved one of Balle et al. 2020 ("Hypothesis testing interpretations and
 * Rényi differential privacy", Prop. 12) / Canonne, Kamath & Steinke 2020, which TF Privacy's
 * `get_privacy_spent` uses since 2020: ε = rdp + log1p(−1/α) − log(δα)/(α − 1).
 */

/**
 * The default Rényi orders: Opacus' `DEFAULT_ALPHAS` (1.1 … 10.9 in steps of 0.1, then 12 … 63),
 * plus 128, 256 and 512 for very small ε.
 */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze([
  ...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10),
  ...Array.from({ length: 52 }, (_, x) => 12 + x),
  128,
  256,
  512,
]);

/** log(eˣ + eʸ) without overflow. */
function logAdd(x: number, y: number): number {
  const a = Math.min(x, y);
  const b = Math.max(x, y);
  if (a === -Infinity) return b;
  return Math.log1p(Math.exp(a - b)) + b;
}

/** log(eˣ − eʸ) for x ≥ y (−∞ when equal). */
function logSub(x: number, y: number): number {
  if (x < y) throw new RangeError('logSub: the result of a subtraction must be non-negative');
  if (y === -Infinity) return x;
  if (x === y) return -Infinity;
  const d = Math.expm1(x - y);
  return Number.isFinite(d) ? Math.log(d) + y : x;
}

/**
 * log(erfc(x)), accurate deep into the tail: Numerical Recipes' Chebyshev fit of erfc
 * (fractional error < 1.2e-7 everywhere), kept in log space for x ≥ 0 so that it never underflows.
 */
export function logErfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const logErfcZ = Math.log(t) + poly;
  return x >= 0 ? logErfcZ : Math.log(2 - Math.exp(logErfcZ));
}

/** log A_α for integer α (TF Privacy's `_compute_log_a_int`), 0 < q < 1. */
function logAInt(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  let logBinom = 0; // log C(α, 0)
  for (let i = 0; i <= alpha; i++) {
    if (i > 0) logBinom += Math.log((alpha - i + 1) / i);
    const logCoef = logBinom + i * Math.log(q) + (alpha - i) * Math.log1p(-q);
    logA = logAdd(logA, logCoef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

/** log A_α for fractional α (TF Privacy's `_compute_log_a_frac`: the two-sided series), 0 < q < 1. */
function logAFrac(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  let coef = 1; // C(α, i) for real α, built up by the product formula
  for (let i = 0; ; i++) {
    if (i > 0) coef *= (alpha - i + 1) / i;
    const logCoef = Math.log(Math.abs(coef));
    const j = alpha - i;
    const logT0 = logCoef + i * Math.log(q) + j * Math.log1p(-q);
    const logT1 = logCoef + j * Math.log(q) + i * Math.log1p(-q);
    const logE0 = Math.log(0.5) + logErfc((i - z0) / (Math.SQRT2 * sigma));
    const logE1 = Math.log(0.5) + logErfc((z0 - j) / (Math.SQRT2 * sigma));
    const logS0 = logT0 + (i * i - i) / (2 * sigma * sigma) + logE0;
    const logS1 = logT1 + (j * j - j) / (2 * sigma * sigma) + logE1;
    if (coef > 0) {
      logA0 = logAdd(logA0, logS0);
      logA1 = logAdd(logA1, logS1);
    } else {
      logA0 = logSub(logA0, logS0);
      logA1 = logSub(logA1, logS1);
    }
    if (Math.max(logS0, logS1) < -30 || i > 100_000) break;
  }
  return logAdd(logA0, logA1);
}

function checkRate(q: number, sigma: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`sampling rate q must be in [0, 1], got ${q}`);
  if (!(sigma >= 0) || !Number.isFinite(sigma))
    throw new RangeError(`noise multiplier σ must be a finite number ≥ 0, got ${sigma}`);
}

/**
 * RDP at order α of one step of the sampled Gaussian mechanism with sampling rate q and noise
 * multiplier σ (noise std / L2 sensitivity). 0 when q = 0, α/(2σ²) when q = 1 (the plain Gaussian
 * mechanism), ∞ when σ = 0 or α = ∞.
 *
 * @throws RangeError for q outside [0, 1], σ < 0 or α ≤ 1.
 */
export function rdpSampledGaussian(q: number, sigma: number, alpha: number): number {
  checkRate(q, sigma);
  if (!(alpha > 1)) throw new RangeError(`Rényi order α must be > 1, got ${alpha}`);
  if (q === 0) return 0;
  if (sigma === 0) return Infinity;
  if (q === 1) return alpha / (2 * sigma * sigma);
  if (alpha === Infinity) return Infinity;
  const logA = Number.isInteger(alpha) ? logAInt(q, sigma, alpha) : logAFrac(q, sigma, alpha);
  return logA / (alpha - 1);
}

/** RDP of `steps` compositions of the sampled Gaussian mechanism, at each of `orders` (TF Privacy's `compute_rdp`). */
export function computeRdp(
  q: number,
  sigma: number,
  steps: number,
  orders: readonly number[] = DEFAULT_ORDERS,
): number[] {
  if (!(Number.isInteger(steps) && steps >= 0))
    throw new RangeError(`steps must be an integer ≥ 0, got ${steps}`);
  return orders.map((a) => (steps === 0 ? 0 : rdpSampledGaussian(q, sigma, a) * steps));
}

/** An (ε, δ) guarantee and the Rényi order that gave it. */
export interface PrivacySpent {
  readonly epsilon: number;
  readonly delta: number;
  readonly order: number;
}

/**
 * How RDP becomes (ε, δ): `'improved'` is Balle et al. 2020 (Prop. 12), TF Privacy's current
 * `_compute_eps`; `'classic'` is Mironov 2017 (Prop. 3), ε = rdp − log δ/(α − 1), which TF
 * Privacy used before 2020 and with which its tutorial's published ε were computed.
 */
export type RdpConversion = 'improved' | 'classic';

/**
 * The smallest ε over `orders` such that the RDP curve implies (ε, δ)-DP. The default conversion
 * is TF Privacy's `_compute_eps`: ε = 0 when δ² + expm1(−rdp) ≥ 0 (the KL bound), else
 * rdp + log1p(−1/α) − log(δα)/(α − 1) for α > 1.01. It is never larger than the classic one.
 *
 * @throws RangeError for δ outside (0, 1), lists of different lengths, α < 1 or rdp < 0.
 */
export function epsilonFromRdp(
  orders: readonly number[],
  rdp: readonly number[],
  delta: number,
  conversion: RdpConversion = 'improved',
): PrivacySpent {
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must be in (0, 1), got ${delta}`);
  if (orders.length !== rdp.length || orders.length === 0)
    throw new RangeError('orders and rdp must be non-empty lists of the same length');
  let best: PrivacySpent = { epsilon: Infinity, delta, order: orders[0]! };
  orders.forEach((a, k) => {
    const r = rdp[k]!;
    if (!(a >= 1)) throw new RangeError(`Rényi order must be ≥ 1, got ${a}`);
    if (!(r >= 0)) throw new RangeError(`RDP must be ≥ 0, got ${r}`);
    let eps: number;
    if (conversion === 'classic') eps = r - Math.log(delta) / (a - 1);
    else if (delta * delta + Math.expm1(-r) >= 0) eps = 0;
    else if (a > 1.01) eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
    else eps = Infinity;
    if (eps < best.epsilon) best = { epsilon: eps, delta, order: a };
  });
  return { ...best, epsilon: Math.max(0, best.epsilon) };
}
