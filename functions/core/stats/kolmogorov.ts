/**
 * Kolmogorov-type distributions that jstat does not have. Argument orders follow scipy (kolmogorov(x),
 * smirnov(n, x), kstwo.sf(x, n)) so reference values read across directly.
 *
 * Sources: Marsaglia, Tsang and Wang (2003) "Evaluating Kolmogorov's Distribution" (Durbin matrix);
 * Pomeranz (1974) ACM Algorithm 487; Pelz and Good (1976) JRSS B 38(2); Birnbaum and Tingey (1951)
 * (one-sided exact sum); Simard and L'Ecuyer (2011) "Computing the Two-Sided Kolmogorov-Smirnov
 * Distribution" (which method where), as arranged in scipy/stats/_ksstats.py.
 */

import { requireInRange, requireNotNaN, requirePositiveInteger } from './validate.js';

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI * Math.PI;
const PI4 = PI2 * PI2;
const PI6 = PI4 * PI2;
/** exp() of anything below this is 0 in double precision (the cut-off scipy's Pelz-Good code uses). */
const MIN_LOG = -708;
/** Cephes' MINLOG, log(2^-1022): scipy's smirnov returns 0 when -2 n x^2 is below it. */
const CEPHES_MIN_LOG = -708.3964185322641;
const EPSILON = Number.EPSILON;
const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;

/** x * 2^e without overflowing or underflowing the intermediate power of two. */
function ldexp(x: number, e: number): number {
  let r = x;
  let rest = e;
  while (rest > 1000) {
    r *= 2 ** 1000;
    rest -= 1000;
  }
  while (rest < -1000) {
    r *= 2 ** -1000;
    rest += 1000;
  }
  return r * 2 ** rest;
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/**
 * Both tails of the limiting Kolmogorov distribution, each from the series that converges fast and keeps
 * relative precision in its own tail: the Jacobi-theta form of the CDF for x <= 0.82, the alternating form of
 * the survival function above.
 */
function kolmogorovTails(x: number): { cdf: number; sf: number } {
  if (Number.isNaN(x)) return { cdf: Number.NaN, sf: Number.NaN };
  if (x <= 0) return { cdf: 0, sf: 1 };
  if (x <= 0.82) {
    const a = PI2 / (8 * x * x);
    const logLead = Math.log(SQRT_2PI / x) - a;
    // sum_{k>=1} exp(-((2k-1)^2 - 1) a): the lead term is factored out; the others fall off as exp(-8a k).
    let sum = 1;
    for (let k = 2; k < 50; k++) {
      const odd = 2 * k - 1;
      const term = Math.exp(-(odd * odd - 1) * a);
      sum += term;
      if (term < EPSILON * sum) break;
    }
    const cdf = clip01(Math.exp(logLead) * sum);
    return { cdf, sf: 1 - cdf };
  }
  const v = -2 * x * x;
  let series = 0;
  for (let k = 1; k < 50; k++) {
    const term = Math.exp(v * k * k);
    series += k % 2 === 1 ? term : -term;
    if (term < EPSILON * Math.abs(series)) break;
  }
  const sf = clip01(2 * series);
  return { cdf: 1 - sf, sf };
}

/**
 * Survival function of the limiting Kolmogorov distribution (scipy.special.kolmogorov,
 * scipy.stats.kstwobign.sf): Q(x) = P(K > x) = 2 * sum_{k>=1} (-1)^(k-1) exp(-2 k^2 x^2), the limit of
 * P(sqrt(n) D_n > x). For x <= 0.82 it is computed as 1 - P(K <= x) with the Jacobi-theta form
 * P(K <= x) = sqrt(2 pi) / x * sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 x^2)), which converges fast there.
 */
export function kolmogorovSf(x: number): number {
  return kolmogorovTails(x).sf;
}

/** CDF of the limiting Kolmogorov distribution, P(K <= x) = 1 - {@link kolmogorovSf}(x) (scipy.special.kolmogc). */
export function kolmogorovCdf(x: number): number {
  return kolmogorovTails(x).cdf;
}

/**
 * Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic D+_n = sup_x (F_n(x) - F(x))
 * (scipy.special.smirnov(n, x)): P(D+_n >= x), by the Birnbaum-Tingey sum
 *   x * sum_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v),
 * evaluated term by term in log space (all terms are positive, so there is no cancellation). Closed forms
 * as in scipy: P = 1 - x (1+x)^(n-1) when x <= 1/n, (1-x)^n when x >= 1 - 1/n, and for n > 10^6 the
 * approximation exp(-(6nx+1)^2 / (18n)).
 * @throws StatisticInputError when n is not an integer >= 1 or x is outside [0, 1].
 */
export function smirnovSf(n: number, x: number): number {
  requirePositiveInteger('n', n);
  requireInRange('x', x, 0, 1);
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  if (nx <= 1) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * nx * x < CEPHES_MIN_LOG) return 0;
  if (nx >= n - 1) return clip01((1 - x) ** n);
  if (n > 1_000_000) {
    const base = 6 * nx + 1;
    return clip01(Math.exp(-(base * base) / (18 * n)));
  }
  let sum = 0;
  // ln C(n, v), accumulated with Neumaier's compensated summation: a plain running sum of up to 10^6 terms
  // of size ~10 loses about 1e-8 (relative) in the largest terms.
  let logBinomial = 0;
  let compensation = 0;
  let previous = 0;
  for (let v = 0; v <= n; v++) {
    const low = (n - v - nx) / n;
    if (!(low > 0)) break;
    const high = x + v / n;
    const term = Math.exp(logBinomial + compensation + (v - 1) * Math.log(high) + (n - v) * Math.log(low));
    sum += term;
    // The terms rise then fall; stop once the rest cannot move the sum (at most n - v more terms, each smaller).
    if (term < previous && 4 * (n - v) * term < EPSILON * sum) break;
    previous = term;
    const step = Math.log((n - v) / (v + 1));
    const next = logBinomial + step;
    compensation +=
      Math.abs(logBinomial) >= Math.abs(step) ? logBinomial - next + step : step - next + logBinomial;
    logBinomial = next;
  }
  return clip01(x * sum);
}

/** log(n! / n^n) by Stirling's series with the n log n term removed up front (no cancellation). */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  const r2 = r * r;
  // Stirling coefficients B_2j / (2j (2j-1)) for j = 1..8.
  const coefficients = [
    1 / 12,
    -1 / 360,
    1 / 1260,
    -1 / 1680,
    1 / 1188,
    -691 / 360360,
    1 / 156,
    -3617 / 122400,
  ];
  let series = 0;
  for (let j = coefficients.length - 1; j >= 0; j--) series = series * r2 + (coefficients[j] as number);
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + r * series;
}

/** Product of two m x m row-major matrices. */
function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j] = (c[i * m + j] as number) + aik * (b[k * m + j] as number);
    }
  }
  return c;
}

/** Divides `a` by 2^128 while its largest entry exceeds 2^128; returns the powers of two taken out. */
function rescale(a: Float64Array): number {
  let taken = 0;
  for (;;) {
    let max = 0;
    for (const v of a) max = Math.max(max, Math.abs(v));
    if (!(max > SCALE_UP)) return taken;
    for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) * SCALE_DOWN;
    taken += SCALE_EXP;
  }
}

/**
 * P(D_n <= d) by Durbin's matrix method as arranged by Marsaglia, Tsang and Wang: write n d = k - h with k
 * an integer and 0 <= h < 1, build the (2k-1) x (2k-1) matrix H, and P = n!/n^n (H^n)[k-1][k-1].
 */
function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const invFactorial = new Float64Array(m + 1);
  invFactorial[0] = 1;
  for (let i = 1; i <= m; i++) invFactorial[i] = (invFactorial[i - 1] as number) / i;
  const hm = new Float64Array(m + 1);
  hm[0] = 1;
  for (let i = 1; i <= m; i++) hm[i] = (hm[i - 1] as number) * h;
  let base: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= Math.min(i + 1, m - 1); j++) base[i * m + j] = invFactorial[i - j + 1] as number;
  }
  for (let i = 0; i < m; i++) {
    base[i * m] = (base[i * m] as number) - (hm[i + 1] as number) * (invFactorial[i + 1] as number);
    const last = (m - 1) * m + i;
    base[last] = (base[last] as number) - (hm[m - i] as number) * (invFactorial[m - i] as number);
  }
  if (2 * h - 1 > 0)
    base[(m - 1) * m] = (base[(m - 1) * m] as number) + (2 * h - 1) ** m * (invFactorial[m] as number);

  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let powerExp = 0;
  let baseExp = 0;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) {
      power = matMul(power, base, m);
      powerExp += baseExp + rescale(power);
    }
    e = Math.floor(e / 2);
    if (e > 0) {
      base = matMul(base, base, m);
      baseExp = 2 * baseExp + rescale(base);
    }
  }
  let p = power[(k - 1) * m + (k - 1)] as number;
  let expo = powerExp;
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      expo -= SCALE_EXP;
    }
  }
  return clip01(ldexp(p, expo));
}

/** Row i's non-zero column range [j1, j2] in Pomeranz's recursion. */
function pomeranzRange(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/**
 * P(D_n <= x) by Pomeranz's recursion: 2n+1 rows, each the convolution of the previous row with truncated
 * Poisson weights, then scaled by n!. Only the few non-zero entries of each row are kept.
 */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);
  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const oneMinusTwoGPower = new Float64Array(size);
  gPower[0] = 1;
  twoGPower[0] = 1;
  oneMinusTwoGPower[0] = 1;
  for (let k = 1; k < size; k++) {
    gPower[k] = ((gPower[k - 1] as number) * (g / n)) / k;
    twoGPower[k] = ((twoGPower[k - 1] as number) * ((2 * g) / n)) / k;
    oneMinusTwoGPower[k] = ((oneMinusTwoGPower[k - 1] as number) * ((1 - 2 * g) / n)) / k;
  }
  let previous = new Float64Array(size);
  let current = new Float64Array(size);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let expo = 0;
  let [j1, j2] = pomeranzRange(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = pomeranzRange(i, n, ll, ceilf, roundf);
    const weights = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const len = j2 - k1 + 1;
    if (len > 0) {
      const offset = k1 - previousStart;
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let q = 0; q < convLen; q++) {
        // Entry convStart + q of the full convolution of previous[offset .. offset+len) with weights[0 .. len).
        const target = convStart + q;
        let acc = 0;
        for (let s = Math.max(0, target - len + 1); s <= Math.min(target, len - 1); s++) {
          acc += (previous[offset + s] as number) * (weights[target - s] as number);
        }
        current[q] = acc;
        max = Math.max(max, acc);
      }
      if (max > 0 && max < SCALE_DOWN) {
        for (let q = 0; q < convLen; q++) current[q] = (current[q] as number) * SCALE_UP;
        expo -= SCALE_EXP;
      }
      currentStart = previousStart + j1 - k1;
    }
  }
  let answer = current[n - currentStart] as number;
  for (let k = 1; k <= n; k++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      expo += SCALE_EXP;
    }
    answer *= k;
  }
  return clip01(ldexp(answer, expo));
}

/**
 * Pelz-Good approximation to P(D_n <= x): the Li-Chien/Korolyuk expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5
 * in z = x sqrt(n), with each K rewritten through Jacobi theta identities so it converges for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -PI2 / 8 / z2;
  if (qLog < MIN_LOG) return 0;
  const q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  // Horner over odd m = 2k-1: sum_k c_k q^(m^2) = q (c_1 + q^8 (c_2 + q^16 (c_3 + ...))).
  for (let k = maxK; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) terms[i] = ((terms[i] as number) * q * SQRT_2PI) / (divisors[i] as number);
  const q2 = Math.exp(-PI2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const w = k2 * q2 ** k2;
    k2Extra += w;
    k3Extra += (3 * z2 - PI2 * k2) * w;
  }
  terms[2] = (terms[2] as number) + (k2Extra * PI2 * SQRT_2PI) / (-36 * z2 * z);
  terms[3] = (terms[3] as number) + (k3Extra * PI2 * SQRT_2PI) / (216 * z6);
  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += (terms[i] as number) / n ** (i / 2);
  return cdf;
}

/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n = sup_x |F_n(x) - F(x)|
 * for a sample of size n (scipy.stats.kstwo.sf(x, n)): P(D_n >= x). Uses, as scipy does after Simard and
 * L'Ecuyer: the Ruben-Gambino closed forms for n x <= 1 and n x >= n - 1; 2 * smirnov(n, x) (exact) for
 * x >= 0.5; for n <= 140 the Durbin matrix (n x^2 <= 0.754693), Pomeranz (n x^2 <= 4) or 2 * smirnov; for
 * n > 140: 0 when n x^2 >= 370, 2 * smirnov when n x^2 >= 2.2, else 1 - CDF with the Durbin matrix
 * (n <= 100000 and n x^1.5 <= 1.4) or the Pelz-Good approximation.
 * @throws StatisticInputError when n is not an integer >= 1 or x is NaN.
 */
export function kstwoSf(x: number, n: number): number {
  requirePositiveInteger('n', n);
  requireNotNaN('x', x);
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip01(1 - durbinMatrixCdf(n, x));
    if (nx2 <= 4) return clip01(1 - pomeranzCdf(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinMatrixCdf(n, x) : pelzGoodCdf(n, x);
  return clip01(1 - clip01(cdf));
}
