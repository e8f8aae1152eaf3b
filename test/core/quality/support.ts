import { readFileSync } from 'node:fs';
import {
  type BinaryEvaluationSet,
  buildEvaluationSet,
  type EvaluationSet,
  type MulticlassEvaluationSet,
  type RegressionEvaluationSet,
} from '../../../functions/core/quality/dataset.js';

/** test/fixtures/quality/reference-values.json, made by `/usr/bin/python3 scripts/reference/model-quality.py`. */
export const REFERENCE = JSON.parse(
  readFileSync('test/fixtures/quality/reference-values.json', 'utf8'),
) as Reference;

/** One binary reference case (sklearn). */
export interface BinaryCase {
  name: string;
  labels: number[];
  predicted: number[];
  scores: number[];
  threshold: number;
  weights?: number[];
  expected: Record<string, unknown> & {
    confusion: { tn: number; fp: number; fn: number; tp: number };
    best_constant: Record<string, number>;
    roc?: { false_positive_rates: number[]; true_positive_rates: number[] };
    pr_curve?: { precisions: number[]; recalls: number[] };
  };
}

/** The reference file's shape. */
export interface Reference {
  command: string;
  binary: BinaryCase[];
  churn: Omit<BinaryCase, 'labels' | 'predicted' | 'scores'> & { prediction_column_matches: boolean };
  sdkJoin: Omit<BinaryCase, 'labels' | 'predicted' | 'scores'> & { pairs: number };
  multiclass: {
    name: string;
    labels: string[];
    predicted: string[];
    weights?: number[];
    expected: Record<string, number> & { classes: string[]; confusion: number[][] };
  }[];
  regression: {
    name: string;
    labels: number[];
    predicted: number[];
    weights?: number[];
    expected: Record<string, number | null>;
  }[];
  mcnemar: { b: number; c: number; pvalue: number }[];
  twoProportion: { x1: number; n1: number; x2: number; n2: number; z: number; pvalue: number }[];
  welch: { a: number[]; b: number[]; statistic: number; pvalue: number }[];
  sampleSize: {
    kind: 'proportions' | 'means';
    p1?: number;
    sigma?: number;
    delta: number;
    alpha: number;
    power: number;
    n: number;
  }[];
  isotonic: { x: number[]; y: number[]; weights?: number[]; grid: number[]; predicted: number[] }[];
  xoshiro128ss: { seed: number; outputs: number[] }[];
  quantile: { values: number[]; q: number; quantile: number }[];
}

/** A binary set from labels, predicted labels and scores (scores as probabilities). */
export function binarySet(labels: number[], scores: number[], threshold = 0.5): BinaryEvaluationSet {
  const built = buildEvaluationSet(
    labels.map((label, i) => ({ prediction: null, probability: scores[i] ?? null, label })),
    { problemType: 'BinaryClassification', probabilityThreshold: threshold },
  );
  return built.set as BinaryEvaluationSet;
}

/** A binary set from labels and predicted labels only. */
export function labelOnlySet(labels: number[], predicted: number[]): BinaryEvaluationSet {
  return buildEvaluationSet(
    labels.map((label, i) => ({ prediction: predicted[i] ?? null, label })),
    { problemType: 'BinaryClassification' },
  ).set as BinaryEvaluationSet;
}

/** A multiclass set. */
export function multiclassSet(labels: string[], predicted: string[]): MulticlassEvaluationSet {
  return buildEvaluationSet(
    labels.map((label, i) => ({ prediction: predicted[i] ?? null, label })),
    { problemType: 'MulticlassClassification' },
  ).set as MulticlassEvaluationSet;
}

/** A regression set. */
export function regressionSet(labels: number[], predicted: number[]): RegressionEvaluationSet {
  return buildEvaluationSet(
    labels.map((label, i) => ({ prediction: predicted[i] ?? null, label })),
    { problemType: 'Regression' },
  ).set as RegressionEvaluationSet;
}

/** Expands integer weights into repeated rows (to check weighted metrics against unweighted ones). */
export function repeatRows<T>(rows: readonly T[], weights: readonly number[]): T[] {
  return rows.flatMap((row, i) => Array.from({ length: weights[i] ?? 0 }, () => row));
}

/** Asserts |actual - expected| <= tol * max(1, |expected|). */
export function close(actual: number | undefined, expected: number | null | undefined, tol = 1e-12): boolean {
  if (expected === null || expected === undefined) return actual === undefined || Number.isNaN(actual);
  if (actual === undefined) return false;
  return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}

export type { EvaluationSet };
