/**
 * Confidence intervals and tests for comparing two models: seeded bootstrap intervals of metric differences,
 * McNemar's exact test, the two-proportion z-test, Welch's t-test and the sample size needed to detect a
 * difference.
 */
import jStat from 'jstat';
import type { EvaluationSet } from './dataset.js';
import { QualityInputError } from './errors.js';
import { computeMetrics } from './metrics.js';
import { bootstrapCounts, SeededRandom } from './random.js';

/** Bootstrap settings (the configuration's `gate.bootstrap`). */
export interface BootstrapOptions {
  /** Resamples. @default 1000 */
  samples?: number;
  /** @default 42 */
  seed?: number;
  /** Confidence level of the intervals. @default 0.95 */
  confidence?: number;
}

/** A percentile bootstrap interval of a difference. */
export interface BootstrapInterval {
  lower: number;
  upper: number;
  confidence: number;
  /** Resamples in which both metrics were defined (the interval uses only those). */
  validSamples: number;
}

/**
 * The q-quantile of sorted values with linear interpolation between order statistics (numpy's default
 * 'linear' method): position h = (n - 1) q, value = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

function checkBootstrap(options: BootstrapOptions): Required<BootstrapOptions> {
  const samples = options.samples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(samples) || samples < 2) {
    throw new QualityInputError(`bootstrap.samples: expected an integer >= 2, got ${samples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new QualityInputError(`bootstrap.confidence: expected a number in (0, 1), got ${confidence}`);
  }
  return { samples, confidence, seed: options.seed ?? 42 };
}

function intervals(
  differences: Record<string, number[]>,
  confidence: number,
): Record<string, BootstrapInterval> {
  const alpha = 1 - confidence;
  return Object.fromEntries(
    Object.entries(differences).map(([metric, values]) => {
      const sorted = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
      return [
        metric,
        {
          lower: quantileSorted(sorted, alpha / 2),
          upper: quantileSorted(sorted, 1 - alpha / 2),
          confidence,
          validSamples: sorted.length,
        },
      ];
    }),
  );
}

/**
 * Paired percentile bootstrap of `sign * (metric(b) - metric(a))` for two models scored on the same rows:
 * each resample draws n row indices with replacement (seeded, {@link bootstrapCounts}) and evaluates both
 * models on the same rows; the interval is the (1 - c)/2 and (1 + c)/2 quantiles of the differences of the
 * resamples where both metrics are defined. `sign[metric]` is +1 or -1 (-1 turns an error metric's difference
 * into an improvement).
 * @throws QualityInputError when the sets differ in size or the settings are out of range
 */
export function pairedBootstrap(
  a: EvaluationSet,
  b: EvaluationSet,
  sign: Readonly<Record<string, 1 | -1>>,
  options: BootstrapOptions = {},
): Record<string, BootstrapInterval> {
  const settings = checkBootstrap(options);
  if (a.n !== b.n) throw new QualityInputError(`paired bootstrap: the sets have ${a.n} and ${b.n} rows`);
  return bootstrapDifferences(a, b, sign, settings, true);
}

/**
 * Unpaired percentile bootstrap of `sign * (metric(b) - metric(a))` for two independent samples (two
 * production variants): each resample redraws each set with replacement, independently, from one seeded
 * generator (a first, then b).
 * @throws QualityInputError when the settings are out of range
 */
export function unpairedBootstrap(
  a: EvaluationSet,
  b: EvaluationSet,
  sign: Readonly<Record<string, 1 | -1>>,
  options: BootstrapOptions = {},
): Record<string, BootstrapInterval> {
  return bootstrapDifferences(a, b, sign, checkBootstrap(options), false);
}

/**
 * The differences `sign * (metric(b) - metric(a))` of `samples` seeded resamples and their intervals. Paired:
 * one draw of row counts serves both sets; unpaired: a is redrawn, then b, from the same generator.
 */
function bootstrapDifferences(
  a: EvaluationSet,
  b: EvaluationSet,
  sign: Readonly<Record<string, 1 | -1>>,
  { samples, seed, confidence }: Required<BootstrapOptions>,
  paired: boolean,
): Record<string, BootstrapInterval> {
  const random = new SeededRandom(seed);
  const differences: Record<string, number[]> = Object.fromEntries(Object.keys(sign).map((m) => [m, []]));
  const countsA = new Uint32Array(a.n);
  const countsB = paired ? countsA : new Uint32Array(b.n);
  for (let s = 0; s < samples; s++) {
    bootstrapCounts(a.n, random, countsA);
    if (!paired) bootstrapCounts(b.n, random, countsB);
    const ma = computeMetrics(a, countsA);
    const mb = computeMetrics(b, countsB);
    for (const [metric, sg] of Object.entries(sign)) {
      differences[metric]?.push(sg * ((mb[metric] ?? Number.NaN) - (ma[metric] ?? Number.NaN)));
    }
  }
  return intervals(differences, confidence);
}

/** McNemar's test on paired correctness. */
export interface McNemarResult {
  /** Rows only the first model (the champion) gets right. */
  onlyFirstCorrect: number;
  /** Rows only the second model (the challenger) gets right. */
  onlySecondCorrect: number;
  /** Exact two-sided p-value. */
  pvalue: number;
}

/**
 * McNemar's exact test (the conditional binomial test, statsmodels' mcnemar(exact=True)): with b rows only
 * the first model gets right and c only the second, p = min(1, 2 P(X <= min(b, c))) for X ~ Binomial(b + c,
 * 1/2); p = 1 when b + c = 0. P(X <= k) = I_{1/2}(n - k, k + 1) (regularised incomplete beta, jstat).
 * @throws QualityInputError when a count is not an integer >= 0
 */
export function mcnemarExact(b: number, c: number): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new QualityInputError(`McNemar ${name}: expected an integer >= 0, got ${v}`);
  }
  const n = b + c;
  const k = Math.min(b, c);
  const cdf = n === 0 || k >= n ? 1 : jStat.ibeta(0.5, n - k, k + 1);
  return { onlyFirstCorrect: b, onlySecondCorrect: c, pvalue: Math.min(1, 2 * cdf) };
}

/** A test statistic and its two-sided p-value. */
export interface TwoSidedTest {
  name: string;
  statistic: number;
  pvalue: number;
}

/** Standard normal upper tail probability P(Z > z). */
function normalSf(z: number): number {
  return 0.5 * jStat.erfc(z / Math.SQRT2);
}

/** Standard normal quantile. */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}

/**
 * Pooled two-proportion z-test of x1/n1 vs x2/n2: z = (p2 - p1) / sqrt(p (1 - p) (1/n1 + 1/n2)) with
 * p = (x1 + x2) / (n1 + n2), two-sided p = 2 P(Z > |z|) (equal to the chi-square test of the 2 x 2 table
 * without continuity correction). z = 0 and p = 1 when p is 0 or 1.
 * @throws QualityInputError unless 0 <= x <= n and n >= 1
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TwoSidedTest {
  for (const [x, n] of [
    [x1, n1],
    [x2, n2],
  ] as const) {
    if (!(n >= 1 && x >= 0 && x <= n)) {
      throw new QualityInputError(
        `two-proportion test: expected 0 <= successes <= trials and trials >= 1, got ${x}/${n}`,
      );
    }
  }
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { name: 'two-proportion z-test', statistic: 0, pvalue: 1 };
  const z = (x2 / n2 - x1 / n1) / se;
  return { name: 'two-proportion z-test', statistic: z, pvalue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

/**
 * Welch's unequal-variances t-test of mean(b) - mean(a): t = (mb - ma) / sqrt(va/na + vb/nb) with sample
 * variances, Welch-Satterthwaite degrees of freedom, two-sided p = 2 P(T > |t|) (scipy.stats.ttest_ind with
 * equal_var=False). p = 1 when both variances are 0 and the means are equal.
 * @throws QualityInputError when a sample has fewer than 2 values
 */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): TwoSidedTest & { dof: number } {
  if (a.length < 2 || b.length < 2) {
    throw new QualityInputError(
      `Welch t-test: expected at least 2 values per sample, got ${a.length} and ${b.length}`,
    );
  }
  const moments = (x: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[i] as number;
    const mean = sum / x.length;
    let ss = 0;
    for (let i = 0; i < x.length; i++) ss += ((x[i] as number) - mean) ** 2;
    return { mean, se2: ss / (x.length - 1) / x.length, n: x.length };
  };
  const ma = moments(a);
  const mb = moments(b);
  const se2 = ma.se2 + mb.se2;
  const diff = mb.mean - ma.mean;
  if (!(se2 > 0)) {
    return {
      name: 'Welch t-test',
      statistic: diff === 0 ? 0 : Math.sign(diff) * Infinity,
      pvalue: diff === 0 ? 1 : 0,
      dof: Number.NaN,
    };
  }
  const t = diff / Math.sqrt(se2);
  const dof = se2 ** 2 / (ma.se2 ** 2 / (ma.n - 1) + mb.se2 ** 2 / (mb.n - 1));
  const pvalue = Math.min(1, 2 * (1 - jStat.studentt.cdf(Math.abs(t), dof)));
  return { name: 'Welch t-test', statistic: t, pvalue, dof };
}

/**
 * Rows per group needed to detect a change of `delta` in a proportion p1 (two-sided level alpha, given
 * power), the normal-approximation formula without continuity correction (Fleiss):
 * n = (z_{1-alpha/2} sqrt(2 pbar (1 - pbar)) + z_{power} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / delta^2 with
 * p2 = p1 + delta (p1 - delta when that leaves [0, 1]) and pbar = (p1 + p2) / 2, rounded up.
 * @throws QualityInputError when p1 is outside [0, 1], delta is not > 0 or alpha / power are outside (0, 1)
 */
export function sampleSizeProportions(p1: number, delta: number, alpha: number, power: number): number {
  checkDesign(delta, alpha, power);
  if (!(p1 >= 0 && p1 <= 1)) throw new QualityInputError(`baseline proportion: expected [0, 1], got ${p1}`);
  const p2 = p1 + delta <= 1 ? p1 + delta : p1 - delta;
  if (p2 < 0)
    throw new QualityInputError(`minimum detectable effect ${delta} is larger than the proportion allows`);
  const pbar = (p1 + p2) / 2;
  const za = normalQuantile(1 - alpha / 2);
  const zb = normalQuantile(power);
  const root = za * Math.sqrt(2 * pbar * (1 - pbar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / (delta * delta));
}

/**
 * Rows per group needed to detect a change of `delta` in a mean with standard deviation sigma (two-sided
 * level alpha, given power): n = 2 (z_{1-alpha/2} + z_{power})^2 sigma^2 / delta^2, rounded up.
 * @throws QualityInputError when sigma is negative or delta, alpha, power are out of range
 */
export function sampleSizeMeans(sigma: number, delta: number, alpha: number, power: number): number {
  checkDesign(delta, alpha, power);
  if (!(sigma >= 0)) throw new QualityInputError(`standard deviation: expected >= 0, got ${sigma}`);
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.max(1, Math.ceil((2 * z * z * sigma * sigma) / (delta * delta)));
}

function checkDesign(delta: number, alpha: number, power: number): void {
  if (!(delta > 0)) throw new QualityInputError(`minimum detectable effect: expected > 0, got ${delta}`);
  if (!(alpha > 0 && alpha < 1))
    throw new QualityInputError(`alpha: expected a number in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1))
    throw new QualityInputError(`power: expected a number in (0, 1), got ${power}`);
}
