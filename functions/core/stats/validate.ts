import { StatisticInputError } from './errors.js';

/** Throws unless `sample` is non-empty and holds no NaN (+/-Infinity are ordered, so they are allowed). */
export function requireSample(name: string, sample: ArrayLike<number>): void {
  if (sample.length === 0) throw new StatisticInputError(`${name}: expected at least one value, got none`);
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i];
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new StatisticInputError(`${name}[${i}]: expected a number, got ${String(v)}`);
    }
  }
}

/** Throws unless `counts` is non-empty, every entry is finite and >= 0, and the total is > 0. */
export function requireCounts(name: string, counts: ArrayLike<number>): number {
  if (counts.length === 0) throw new StatisticInputError(`${name}: expected at least one count, got none`);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const v = counts[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new StatisticInputError(`${name}[${i}]: expected a finite count >= 0, got ${String(v)}`);
    }
    total += v;
  }
  if (!(total > 0)) throw new StatisticInputError(`${name}: expected a total > 0, got ${total}`);
  return total;
}

/** Throws unless both arrays have the same length. */
export function requireSameLength(
  aName: string,
  a: ArrayLike<unknown>,
  bName: string,
  b: ArrayLike<unknown>,
): void {
  if (a.length !== b.length) {
    throw new StatisticInputError(
      `${aName} and ${bName}: expected the same length, got ${a.length} and ${b.length}`,
    );
  }
}

/** Throws unless `n` is an integer >= 1. */
export function requirePositiveInteger(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new StatisticInputError(`${name}: expected an integer >= 1, got ${n}`);
  }
}

/** Throws unless `x` is a number in [lo, hi]. */
export function requireInRange(name: string, x: number, lo: number, hi: number): void {
  if (!(x >= lo && x <= hi))
    throw new StatisticInputError(`${name}: expected a number in [${lo}, ${hi}], got ${x}`);
}

/** Throws when `x` is NaN. */
export function requireNotNaN(name: string, x: number): void {
  if (Number.isNaN(x)) throw new StatisticInputError(`${name}: expected a number, got NaN`);
}
