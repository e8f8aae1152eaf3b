export { jensenShannonDistance, lInfinityCategorical, psi } from './binned.js';
export {
  type ChiSquareResult,
  chiSquareContingency,
  chiSquareGoodnessOfFit,
  chiSquareSf,
} from './chi-square.js';
export { type Cdf, cdfAt, empiricalCdf, requireCdf, weightedEmpiricalCdf } from './ecdf.js';
export { StatisticInputError } from './errors.js';
export { kolmogorovCdf, kolmogorovSf, kstwoSf, smirnovSf } from './kolmogorov.js';
export { type KsAlternative, ksPValue, ksStatistic, ksTwoSample, linfRobust, type TestResult } from './ks.js';
export { wasserstein1, wasserstein1FromSamples, wasserstein1Normed } from './wasserstein.js';
