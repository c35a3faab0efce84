/**
 * Axis ticks: "nice" steps of 1, 2 or 5 × 10^k for linear axes (Heckbert's loose labelling) and
 * powers of ten (with 2 and 5 between them over short ranges) for logarithmic ones.
 */

/** Ticks of one axis and the domain they span. */
export interface Ticks {
  /** The tick values, ascending, inside `[min, max]`. */
  readonly values: readonly number[];
  /** The domain, possibly widened to whole steps (see {@link linearTicks}). */
  readonly min: number;
  readonly max: number;
  /** The linear step between ticks (`NaN` for logarithmic ticks). */
  readonly step: number;
  /** Decimals that show every tick exactly (linear ticks only; 0 for logarithmic ones). */
  readonly decimals: number;
}

/** The nice number (1, 2, 5 × 10^k) closest to `x > 0`. */
export function niceStep(x: number): number {
  const exp = Math.floor(Math.log10(x));
  const f = x / 10 ** exp;
  const nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  return nice * 10 ** exp;
}

/** Rounds away floating-point noise such as 0.30000000000000004. */
const clean = (v: number, decimals: number) => Number(v.toFixed(Math.min(20, decimals)));

/**
 * About `count` ticks over `[min, max]` (finite, `min < max`). Sides listed in `widen` are moved
 * out to a whole step, so that the axis starts and ends on a tick; the others stay where they are.
 */
export function linearTicks(
  min: number,
  max: number,
  count = 5,
  widen: { readonly min: boolean; readonly max: boolean } = { min: true, max: true },
): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(min < max))
    throw new RangeError(`linearTicks needs finite min < max, got [${min}, ${max}]`);
  const step = niceStep((max - min) / Math.max(1, count));
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  const lo = widen.min ? clean(Math.floor(min / step + 1e-9) * step, decimals) : min;
  const hi = widen.max ? clean(Math.ceil(max / step - 1e-9) * step, decimals) : max;
  const values: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  for (let i = first; i <= last; i++) values.push(clean(i * step, decimals));
  return { values, min: lo, max: hi, step, decimals };
}

/**
 * Ticks of a logarithmic axis over `[min, max]` (`0 < min < max`): the domain widens to whole
 * decades where `widen` says so; ticks at 1 × 10^k, plus 2 and 5 × 10^k when it spans under 3 decades.
 */
export function logTicks(
  min: number,
  max: number,
  widen: { readonly min: boolean; readonly max: boolean } = { min: true, max: true },
): Ticks {
  if (!(min > 0) || !Number.isFinite(max) || !(min < max))
    throw new RangeError(`logTicks needs finite 0 < min < max, got [${min}, ${max}]`);
  const lo = widen.min ? 10 ** Math.floor(Math.log10(min) + 1e-9) : min;
  const hi = widen.max ? 10 ** Math.ceil(Math.log10(max) - 1e-9) : max;
  const decades = Math.log10(hi / lo);
  const mantissas = decades < 3 ? [1, 2, 5] : [1];
  const values: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) values.push(v);
    }
  }
  return { values, min: lo, max: hi, step: NaN, decimals: 0 };
}

/**
 * A tick label: fixed `decimals` when given, else a short form (up to 4 significant digits,
 * exponent notation below 1e-4 and from 1e6 on).
 */
export function formatTick(v: number, decimals?: number): string {
  if (decimals !== undefined) return v === 0 ? '0' : v.toFixed(decimals).replace(/^-(0\.?0*)$/, '$1');
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential().replace(/\.?0*e\+?/, 'e');
  return String(Number(v.toPrecision(4)));
}
