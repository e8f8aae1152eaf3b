/**
 * The champion/challenger quality gate: the function the CLI's `driftwatch gate` and the retraining workflow
 * both call. Both models are scored on the same evaluation set (predictions, paired row by row) or described
 * by their model-quality statistics.json; the configuration's `gate` section supplies the rules.
 *
 * For each compared metric, the improvement is challenger - champion when higher is better and champion -
 * challenger when lower is better (> 0: the challenger is better), with a confidence interval [lo, hi]:
 * a seeded paired bootstrap over rows for predictions; for metrics files, improvement +/- z sqrt(sd1^2 +
 * sd2^2) from their standard deviations, or the point value when a file has none. Rules:
 * - floors[m] = f: the challenger's value must be >= f (<= f for error metrics); below it: fail.
 * - maxRegression[m] = r: pass when lo >= -r (worse by at most r even at the bound), fail when hi < -r
 *   (worse by more than r even at the other bound), else inconclusive.
 * - minImprovement[m] = g: pass when lo > g, fail when hi <= g, else inconclusive.
 * - McNemar (classification, paired predictions): fail when the challenger is right on fewer of the rows where
 *   exactly one model is right and the exact test's p < mcnemarAlpha.
 * Verdict: REJECT when any check fails, else INCONCLUSIVE when any is inconclusive, else PROMOTE.
 */
import { MODEL_QUALITY_METRICS, type ProblemType } from '../config/quality-schema.js';
import { formatNumber } from '../report/text.js';
import type { EvaluationSet } from './dataset.js';
import { QualityInputError } from './errors.js';
import {
  type BootstrapInterval,
  type BootstrapOptions,
  type McNemarResult,
  mcnemarExact,
  normalQuantile,
  pairedBootstrap,
} from './inference.js';
import { computeMetrics } from './metrics.js';
import { type MetricValues, modelQualityStatistics, readMetricValues } from './statistics.js';

/** PROMOTE (exit 0), REJECT (exit 1) or INCONCLUSIVE (exit 3). */
export type GateVerdict = 'PROMOTE' | 'REJECT' | 'INCONCLUSIVE';

/** One model as the gate sees it. */
export type GateModel =
  | { kind: 'predictions'; set: EvaluationSet; source?: string }
  | { kind: 'metrics'; metrics: MetricValues; source?: string };

/** Gate rules (the configuration's `gate` section; every field optional here). */
export interface GateRules {
  floors?: Readonly<Record<string, number>>;
  maxRegression?: Readonly<Record<string, number>>;
  minImprovement?: Readonly<Record<string, number>>;
  bootstrap?: BootstrapOptions;
  /** @default 0.05 */
  mcnemarAlpha?: number;
}

/** A compared metric. */
export interface GateComparison {
  metric: string;
  better: 'higher' | 'lower';
  champion: number;
  challenger: number;
  /** > 0 when the challenger is better (sign-adjusted for error metrics). */
  improvement: number;
  interval: {
    lower: number;
    upper: number;
    confidence: number;
    method: 'paired-bootstrap' | 'normal-approximation' | 'point';
    validSamples?: number;
  };
}

/** Outcome of one rule. */
export interface GateCheck {
  rule: 'floor' | 'max_regression' | 'min_improvement' | 'mcnemar';
  metric: string;
  outcome: 'pass' | 'fail' | 'inconclusive';
  /** The configured limit (floor, regression allowance, improvement or alpha). */
  limit: number;
  /** One sentence with the numbers. */
  detail: string;
}

/** The gate's decision with everything it was based on. */
export interface GateResult {
  verdict: GateVerdict;
  /** Why: the failed checks (REJECT), the inconclusive ones (INCONCLUSIVE) or a summary (PROMOTE). */
  reasons: string[];
  problemType: ProblemType;
  /** Rows of the shared evaluation set (paired predictions), else null. */
  rows: number | null;
  paired: boolean;
  comparisons: GateComparison[];
  checks: GateCheck[];
  mcnemar: (McNemarResult & { alpha: number }) | null;
  bootstrap: { samples: number; seed: number; confidence: number } | null;
}

const fmt = (x: number) => formatNumber(x);

/**
 * Decides whether the challenger may replace the champion (see the module comment for every rule).
 * @throws QualityInputError when the models are of different problem types (or not `problemType`), paired
 * predictions are not on the same evaluation set, a rule names an unknown metric, or no rule is given
 */
export function evaluateGate(
  champion: GateModel,
  challenger: GateModel,
  rules: GateRules,
  problemType?: ProblemType,
): GateResult {
  const typeOf = (m: GateModel) => (m.kind === 'predictions' ? m.set.problemType : m.metrics.problemType);
  const type = typeOf(champion);
  if (typeOf(challenger) !== type) {
    throw new QualityInputError(`champion is ${type} but challenger is ${typeOf(challenger)}`);
  }
  if (problemType !== undefined && problemType !== type) {
    throw new QualityInputError(
      `the models are ${type} but the configuration's problemType is ${problemType}`,
    );
  }
  const floors = rules.floors ?? {};
  const maxRegression = rules.maxRegression ?? {};
  const minImprovement = rules.minImprovement ?? {};
  const specs = MODEL_QUALITY_METRICS[type];
  const metrics = [
    ...new Set([...Object.keys(floors), ...Object.keys(maxRegression), ...Object.keys(minImprovement)]),
  ];
  if (metrics.length === 0) {
    throw new QualityInputError(
      'gate: expected at least one rule in floors, maxRegression or minImprovement',
    );
  }
  for (const metric of metrics) {
    if (specs[metric] === undefined) {
      throw new QualityInputError(
        `gate: "${metric}" is not a ${type} metric (${Object.keys(specs).join(', ')})`,
      );
    }
  }
  const sign = Object.fromEntries(metrics.map((m) => [m, specs[m]?.better === 'lower' ? -1 : 1])) as Record<
    string,
    1 | -1
  >;
  const paired = champion.kind === 'predictions' && challenger.kind === 'predictions';
  let comparisons: GateComparison[];
  let mcnemar: GateResult['mcnemar'] = null;
  let bootstrap: GateResult['bootstrap'] = null;
  const alpha = rules.mcnemarAlpha ?? 0.05;
  if (champion.kind === 'predictions' && challenger.kind === 'predictions') {
    requireSameRows(champion.set, challenger.set);
    const options = {
      samples: rules.bootstrap?.samples ?? 1000,
      seed: rules.bootstrap?.seed ?? 42,
      confidence: rules.bootstrap?.confidence ?? 0.95,
    };
    bootstrap = options;
    const intervals = pairedBootstrap(champion.set, challenger.set, sign, options);
    const a = computeMetrics(champion.set);
    const b = computeMetrics(challenger.set);
    comparisons = metrics.map((metric) =>
      comparison(metric, specs[metric]?.better ?? 'higher', a[metric], b[metric], intervals[metric]),
    );
    if (type !== 'Regression') {
      const [only1, only2] = discordantPairs(champion.set, challenger.set);
      mcnemar = { ...mcnemarExact(only1, only2), alpha };
    }
  } else {
    const a = metricValuesOf(champion);
    const b = metricValuesOf(challenger);
    const confidence = rules.bootstrap?.confidence ?? 0.95;
    comparisons = metrics.map((metric) => {
      const better = specs[metric]?.better ?? 'higher';
      const va = a.values[metric] ?? Number.NaN;
      const vb = b.values[metric] ?? Number.NaN;
      const sa = a.standardDeviations[metric] ?? Number.NaN;
      const sb = b.standardDeviations[metric] ?? Number.NaN;
      const improvement = (better === 'lower' ? -1 : 1) * (vb - va);
      const normal = Number.isFinite(sa) && Number.isFinite(sb);
      const half = normal ? normalQuantile((1 + confidence) / 2) * Math.sqrt(sa * sa + sb * sb) : 0;
      return {
        metric,
        better,
        champion: va,
        challenger: vb,
        improvement,
        interval: {
          lower: improvement - half,
          upper: improvement + half,
          confidence,
          method: normal ? 'normal-approximation' : 'point',
        },
      };
    });
  }

  const checks: GateCheck[] = [];
  const byMetric = new Map(comparisons.map((c) => [c.metric, c]));
  for (const [metric, floor] of Object.entries(floors)) {
    const c = byMetric.get(metric) as GateComparison;
    const ok = c.better === 'lower' ? c.challenger <= floor : c.challenger >= floor;
    const op = c.better === 'lower' ? '<=' : '>=';
    checks.push({
      rule: 'floor',
      metric,
      outcome: ok ? 'pass' : 'fail',
      limit: floor,
      detail: `${metric} ${fmt(c.challenger)} ${ok ? 'meets' : 'misses'} the floor (${op} ${fmt(floor)})`,
    });
  }
  for (const [metric, allowance] of Object.entries(maxRegression)) {
    const c = byMetric.get(metric) as GateComparison;
    const { lower, upper } = c.interval;
    const outcome = lower >= -allowance ? 'pass' : upper < -allowance ? 'fail' : 'inconclusive';
    const what =
      outcome === 'pass'
        ? 'is within the allowed regression'
        : outcome === 'fail'
          ? 'is worse than allowed'
          : 'may be worse than allowed';
    checks.push({
      rule: 'max_regression',
      metric,
      outcome,
      limit: allowance,
      detail: `${metric} ${what}: improvement ${fmt(c.improvement)} [${fmt(lower)}, ${fmt(upper)}], allowed -${fmt(allowance)}`,
    });
  }
  for (const [metric, needed] of Object.entries(minImprovement)) {
    const c = byMetric.get(metric) as GateComparison;
    const { lower, upper } = c.interval;
    const outcome = lower > needed ? 'pass' : upper <= needed ? 'fail' : 'inconclusive';
    const what =
      outcome === 'pass'
        ? 'improves enough'
        : outcome === 'fail'
          ? 'does not improve enough'
          : 'may not improve enough';
    checks.push({
      rule: 'min_improvement',
      metric,
      outcome,
      limit: needed,
      detail: `${metric} ${what}: improvement ${fmt(c.improvement)} [${fmt(lower)}, ${fmt(upper)}], required > ${fmt(needed)}`,
    });
  }
  if (mcnemar !== null) {
    const worse = mcnemar.onlySecondCorrect < mcnemar.onlyFirstCorrect && mcnemar.pvalue < alpha;
    checks.push({
      rule: 'mcnemar',
      metric: 'accuracy',
      outcome: worse ? 'fail' : 'pass',
      limit: alpha,
      detail:
        `McNemar: only the champion right on ${mcnemar.onlyFirstCorrect} rows, only the challenger on ` +
        `${mcnemar.onlySecondCorrect}, p = ${fmt(mcnemar.pvalue)}${worse ? ` < ${fmt(alpha)}: the challenger is less accurate` : ''}`,
    });
  }
  for (const check of checks) {
    const c = byMetric.get(check.metric);
    if (
      check.rule !== 'floor' &&
      check.rule !== 'mcnemar' &&
      c !== undefined &&
      !Number.isFinite(c.interval.lower)
    ) {
      check.outcome = 'inconclusive';
      check.detail = `${check.metric}: no interval (the metric is undefined on this data)`;
    }
  }
  const failed = checks.filter((c) => c.outcome === 'fail');
  const unsure = checks.filter((c) => c.outcome === 'inconclusive');
  const verdict: GateVerdict = failed.length > 0 ? 'REJECT' : unsure.length > 0 ? 'INCONCLUSIVE' : 'PROMOTE';
  const reasons =
    verdict === 'PROMOTE'
      ? [`all ${checks.length} checks passed`, ...checks.map((c) => c.detail)]
      : [...failed, ...unsure].map((c) => c.detail);
  return {
    verdict,
    reasons,
    problemType: type,
    rows: paired && champion.kind === 'predictions' ? champion.set.n : null,
    paired,
    comparisons,
    checks,
    mcnemar,
    bootstrap,
  };
}

function comparison(
  metric: string,
  better: 'higher' | 'lower',
  champion: number | undefined,
  challenger: number | undefined,
  interval: BootstrapInterval | undefined,
): GateComparison {
  const a = champion ?? Number.NaN;
  const b = challenger ?? Number.NaN;
  return {
    metric,
    better,
    champion: a,
    challenger: b,
    improvement: (better === 'lower' ? -1 : 1) * (b - a),
    interval: {
      lower: interval?.lower ?? Number.NaN,
      upper: interval?.upper ?? Number.NaN,
      confidence: interval?.confidence ?? Number.NaN,
      method: 'paired-bootstrap',
      validSamples: interval?.validSamples ?? 0,
    },
  };
}

function metricValuesOf(model: GateModel): MetricValues {
  if (model.kind === 'metrics') return model.metrics;
  return readMetricValues(modelQualityStatistics(model.set), model.source ?? 'predictions');
}

function labelAt(set: EvaluationSet, i: number): string | number {
  if (set.problemType === 'MulticlassClassification') return set.classes[set.labels[i] as number] ?? '';
  return set.labels[i] as number;
}

function requireSameRows(a: EvaluationSet, b: EvaluationSet): void {
  if (a.n !== b.n) {
    throw new QualityInputError(
      `champion and challenger must be scored on the same evaluation set: they have ${a.n} and ${b.n} usable rows`,
    );
  }
  for (let i = 0; i < a.n; i++) {
    if (labelAt(a, i) !== labelAt(b, i)) {
      throw new QualityInputError(
        `champion and challenger must be scored on the same evaluation set: labels differ at usable row ${i + 1} ` +
          `(${labelAt(a, i)} vs ${labelAt(b, i)})`,
      );
    }
  }
}

function correctAt(set: EvaluationSet, i: number): boolean {
  return set.problemType === 'Regression' ? false : set.labels[i] === set.predicted[i];
}

/** [rows only the first model gets right, rows only the second gets right]. */
function discordantPairs(a: EvaluationSet, b: EvaluationSet): [number, number] {
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.n; i++) {
    const ca = correctAt(a, i);
    const cb = correctAt(b, i);
    if (ca && !cb) onlyA++;
    else if (cb && !ca) onlyB++;
  }
  return [onlyA, onlyB];
}
