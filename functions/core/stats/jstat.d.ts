/**
 * Minimal types for jstat 1.9.6, which ships none: only the functions this project calls. Its CommonJS
 * export is the jStat object, which Node's ESM loader exposes as the default import.
 */
declare module 'jstat' {
  /** A continuous distribution's static functions, parameterised as jstat documents for each. */
  interface JStatDistribution<P extends number[]> {
    pdf(x: number, ...params: P): number;
    cdf(x: number, ...params: P): number;
    inv(p: number, ...params: P): number;
    mean(...params: P): number;
    variance(...params: P): number;
  }

  interface JStatStatic {
    /** Chi-square distribution with `dof` degrees of freedom. */
    chisquare: JStatDistribution<[dof: number]>;
    /** Normal distribution with mean and standard deviation. */
    normal: JStatDistribution<[mean: number, std: number]>;
    /** Student's t distribution with `dof` degrees of freedom. */
    studentt: JStatDistribution<[dof: number]>;
    /** Gamma distribution with shape and scale. */
    gamma: JStatDistribution<[shape: number, scale: number]>;
    /** Beta distribution with alpha and beta. */
    beta: JStatDistribution<[alpha: number, beta: number]>;
    /** ln Gamma(x). */
    gammaln(x: number): number;
    /** Regularised lower incomplete gamma P(a, x). */
    lowRegGamma(a: number, x: number): number;
    /** Regularised incomplete beta I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    /** Error function. */
    erf(x: number): number;
    /** Complementary error function. */
    erfc(x: number): number;
  }

  const jStat: JStatStatic;
  export default jStat;
}
