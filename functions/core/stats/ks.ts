import { type Cdf, empiricalCdf, requireCdf } from './ecdf.js';
import { StatisticInputError } from './errors.js';
import { kstwoSf } from './kolmogorov.js';
import { requireInRange, requirePositiveInteger, requireSample } from './validate.js';

/** Alternative hypothesis of the two-sample KS test, with scipy's meaning ("greater": F_a > F_b somewhere). */
export type KsAlternative = 'two-sided' | 'less' | 'greater';

/** A test statistic and its p-value. */
export interface TestResult {
  statistic: number;
  pvalue: number;
}

/** scipy.stats.ks_2samp(method='auto') is exact when the larger sample has at most this many values. */
const MAX_EXACT_N = 10_000;

/** Largest and smallest signed CDF differences, max(Fa - Fb, 0) and max(Fb - Fa, 0), over every jump. */
function signedDifferences(a: Cdf, b: Cdf): { greater: number; less: number } {
  const na = a.values.length;
  const nb = b.values.length;
  let i = 0;
  let j = 0;
  let fa = 0;
  let fb = 0;
  let greater = 0;
  let less = 0;
  while (i < na || j < nb) {
    const va = a.values[i];
    const vb = b.values[j];
    // Advance whichever side has the next jump (both when they jump at the same x), so each F is read as a
    // right-continuous step function at every jump of either.
    const takeA = va !== undefined && (vb === undefined || va <= vb);
    const takeB = vb !== undefined && (va === undefined || vb <= va);
    if (takeA) fa = a.cumulative[i++] as number;
    if (takeB) fb = b.cumulative[j++] as number;
    const diff = fa - fb;
    if (diff > greater) greater = diff;
    if (-diff > less) less = -diff;
  }
  return { greater, less };
}

/**
 * Two-sample Kolmogorov-Smirnov statistic D = sup_x |Fa(x) - Fb(x)|, evaluated at every jump of either step
 * CDF (where the supremum of two right-continuous step functions is attained). Works on exact empirical CDFs
 * and on CDFs read from sketches alike.
 * @throws StatisticInputError when a CDF is empty or malformed (see {@link requireCdf}).
 */
export function ksStatistic(a: Cdf, b: Cdf): number {
  requireCdf('a', a);
  requireCdf('b', b);
  const { greater, less } = signedDifferences(a, b);
  return Math.max(greater, less);
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy's round(): to the nearest integer, halves to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Exact two-sided P(D >= h / lcm(n1, n2)) for equal sizes n: 2 * sum_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n),
 * evaluated in nested form 2 r1 (1 - r2 (1 - r3 (...))) with r_k = C(2n, n-kh) / C(2n, n-(k-1)h), which
 * avoids the cancellation of the alternating sum.
 */
function exactTwoSidedEqual(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 1; k--) {
    let ratio = 1;
    const start = (k - 1) * h;
    for (let j = 0; j < h; j++) ratio = (ratio * (n - start - j)) / (n + start + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Exact two-sided P(D >= h / lcm) for sizes big >= small: the share of monotone lattice paths from (0, 0) to
 * (big, small) that touch |i b - j a| >= h (a = big/g, b = small/g), by the recursion on probabilities
 * Q(i, j) = (i Q(i-1, j) + j Q(i, j-1)) / (i + j), Q = 1 on the boundary (Hodges 1958; in the form of
 * Viehmann 2021, arXiv:2102.08037, which stays in [0, 1] and so needs no scaling). Only the band of cells
 * strictly inside the boundary is visited.
 */
function exactTwoSidedUnequal(big: number, small: number, h: number): number {
  const g = gcd(big, small);
  const a = big / g;
  const b = small / g;
  const q = new Float64Array(small + 1).fill(1);
  const firstHi = Math.min(Math.ceil(h / a) - 1, small);
  for (let j = 0; j <= firstHi; j++) q[j] = 0;
  for (let i = 1; i <= big; i++) {
    const lo = Math.max(0, Math.floor((i * b - h) / a) + 1);
    const hi = Math.min(small, Math.ceil((i * b + h) / a) - 1);
    if (lo > hi) return 1;
    let left = 1;
    for (let j = lo; j <= hi; j++) {
      const v = (i * (q[j] as number) + j * left) / (i + j);
      q[j] = v;
      left = v;
    }
  }
  return q[small] as number;
}

/** Exact one-sided P(D+ >= h / n) for equal sizes n: C(2n, n-h) / C(2n, n) as a product. */
function exactOneSidedEqual(n: number, h: number): number {
  let p = 1;
  for (let j = 0; j < h; j++) p *= (n - j) / (n + j + 1);
  return p;
}

/**
 * Exact one-sided P(D+ >= h / lcm) for sizes big >= small, by the same path recursion with the single
 * boundary i b - j a >= h (the probability is the same for D- and for swapped sizes).
 */
function exactOneSidedUnequal(big: number, small: number, h: number): number {
  const g = gcd(big, small);
  const a = big / g;
  const b = small / g;
  const q = new Float64Array(small + 1);
  for (let i = 1; i <= big; i++) {
    const lo = Math.max(0, Math.floor((i * b - h) / a) + 1);
    if (lo > small) return 1;
    let left = 1;
    for (let j = lo; j <= small; j++) {
      const v = (i * (q[j] as number) + j * left) / (i + j);
      q[j] = v;
      left = v;
    }
  }
  return q[small] as number;
}

/** ln C(n1 + n2, n1). */
function logBinomial(n1: number, n2: number): number {
  let sum = 0;
  for (let i = 1; i <= Math.min(n1, n2); i++) sum += Math.log((Math.max(n1, n2) + i) / i);
  return sum;
}

/**
 * The p-value of a KS statistic d between samples of sizes n1 and n2, following scipy.stats.ks_2samp with
 * method='auto': exact when max(n1, n2) <= 10000, with d first rounded to the lattice h / lcm(n1, n2) (the
 * statistic returned is that rounded value); asymptotic otherwise, and also where scipy's own exact
 * one-sided computation overflows (C(n1 + n2, n1) > Number.MAX_VALUE with n1 != n2). Asymptotic two-sided
 * p = kstwo.sf(d, round(n1 n2 / (n1 + n2))); asymptotic one-sided p = exp(-2 z^2 - 2 z (m + 2n) /
 * (3 sqrt(m n (m + n)))) with z = d sqrt(m n / (m + n)), m >= n (Hodges 1958, eq. 5.3).
 */
function ksFromStatistic(d: number, n1: number, n2: number, alternative: KsAlternative): TestResult {
  const big = Math.max(n1, n2);
  const small = Math.min(n1, n2);
  let statistic = d;
  if (big <= MAX_EXACT_N) {
    const lcm = (big / gcd(big, small)) * small;
    const h = roundHalfEven(d * lcm);
    statistic = h / lcm;
    if (h === 0) return { statistic, pvalue: 1 };
    let p: number | undefined;
    if (alternative === 'two-sided') {
      p = big === small ? exactTwoSidedEqual(big, h) : exactTwoSidedUnequal(big, small, h);
    } else if (big === small) {
      p = exactOneSidedEqual(big, h);
    } else if (logBinomial(big, small) <= Math.log(Number.MAX_VALUE)) {
      p = exactOneSidedUnequal(big, small, h);
    }
    if (p !== undefined) return { statistic, pvalue: Math.min(1, Math.max(0, p)) };
  }
  const nEff = (big * small) / (big + small);
  let p: number;
  if (alternative === 'two-sided') {
    p = kstwoSf(statistic, roundHalfEven(nEff));
  } else {
    const z = Math.sqrt(nEff) * statistic;
    p = Math.exp(-2 * z * z - (2 * z * (big + 2 * small)) / Math.sqrt(big * small * (big + small)) / 3);
  }
  return { statistic, pvalue: Math.min(1, Math.max(0, p)) };
}

/**
 * Two-sample Kolmogorov-Smirnov test, matching scipy.stats.ks_2samp(a, b, alternative, method='auto').
 * Statistic: two-sided D = sup_x |Fa(x) - Fb(x)|; 'greater' D+ = max(sup_x (Fa(x) - Fb(x)), 0); 'less'
 * D- = max(sup_x (Fb(x) - Fa(x)), 0), with Fa, Fb the empirical CDFs. P-value: exact for max(n, m) <= 10000
 * and asymptotic beyond, as {@link ksPValue}; one-sided, exact where scipy's is (n = m, or C(n + m, n) finite
 * in double precision), else Hodges' approximation.
 * @default alternative 'two-sided'
 * @throws StatisticInputError when a sample is empty or holds NaN.
 */
export function ksTwoSample(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  alternative: KsAlternative = 'two-sided',
): TestResult {
  requireSample('a', a);
  requireSample('b', b);
  if (alternative !== 'two-sided' && alternative !== 'less' && alternative !== 'greater') {
    throw new StatisticInputError(
      `alternative: expected 'two-sided', 'less' or 'greater', got ${String(alternative)}`,
    );
  }
  const { greater, less } = signedDifferences(empiricalCdf(a), empiricalCdf(b));
  const d = alternative === 'greater' ? greater : alternative === 'less' ? less : Math.max(greater, less);
  return ksFromStatistic(d, a.length, b.length, alternative);
}

/**
 * Two-sided p-value P(D >= d) of the two-sample KS statistic d for sample sizes n and m, with scipy's
 * method='auto' rule: exact (Hodges' lattice-path count, d rounded to the nearest multiple of 1/lcm(n, m))
 * when max(n, m) <= 10000, else kstwo.sf(d, round(n m / (n + m))), the one-sample two-sided KS distribution
 * at the effective sample size.
 * @throws StatisticInputError when d is outside [0, 1] or n, m are not integers >= 1.
 */
export function ksPValue(d: number, n: number, m: number): number {
  requireInRange('d', d, 0, 1);
  requirePositiveInteger('n', n);
  requirePositiveInteger('m', m);
  return ksFromStatistic(d, n, m, 'two-sided').pvalue;
}

/**
 * Model Monitor's "Robust" L-infinity distance: max(0, d - c sqrt((n + m) / (n m))), the distance d between
 * the baseline and current CDFs less c times the scale of the two-sample KS critical value (c = 1.8 by
 * default), so that sampling noise alone rarely exceeds the threshold.
 * @default c 1.8
 * @throws StatisticInputError when d is NaN or negative, n or m is not > 0, or c is negative or not finite.
 */
export function linfRobust(d: number, n: number, m: number, c = 1.8): number {
  if (!(d >= 0)) throw new StatisticInputError(`d: expected a distance >= 0, got ${d}`);
  if (!(n > 0 && Number.isFinite(n))) throw new StatisticInputError(`n: expected a count > 0, got ${n}`);
  if (!(m > 0 && Number.isFinite(m))) throw new StatisticInputError(`m: expected a count > 0, got ${m}`);
  if (!(c >= 0 && Number.isFinite(c))) throw new StatisticInputError(`c: expected a finite c >= 0, got ${c}`);
  return Math.max(0, d - c * Math.sqrt((n + m) / (n * m)));
}
