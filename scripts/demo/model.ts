// The demo's model: logistic regression on standardized features, fitted by full-batch gradient descent. Small on
// purpose (the demo trains it in-process, twice); it stands in for the SageMaker training job's model.

/** A fitted model: standardization and weights, serialisable as JSON (the demo's "model artifact"). */
export interface LogisticModel {
  kind: 'logistic-regression';
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
}

/** Training options. */
export interface FitOptions {
  /** @default 300 */
  epochs?: number;
  /** @default 0.5 */
  learningRate?: number;
  /** L2 penalty on the weights. @default 0.001 */
  l2?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Fits a logistic regression of `labels` (0/1) on `rows` (one number per feature). */
export function fitLogistic(
  features: readonly string[],
  rows: readonly (readonly number[])[],
  labels: readonly number[],
  options: FitOptions = {},
): LogisticModel {
  if (rows.length === 0 || rows.length !== labels.length) {
    throw new RangeError(
      `expected as many labels as rows (at least one), received ${labels.length} and ${rows.length}`,
    );
  }
  const d = features.length;
  const n = rows.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + (r[j] ?? 0), 0) / n);
  const scale = mean.map((m, j) => {
    const variance = rows.reduce((s, r) => s + ((r[j] ?? 0) - m) ** 2, 0) / n;
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  const x = rows.map((r) => r.map((v, j) => (v - (mean[j] ?? 0)) / (scale[j] ?? 1)));
  const weights = new Array<number>(d).fill(0);
  let bias = 0;
  const { epochs = 300, learningRate = 0.5, l2 = 0.001 } = options;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = new Array<number>(d).fill(0);
    let gradBias = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i] as number[];
      let z = bias;
      for (let j = 0; j < d; j++) z += (weights[j] as number) * (xi[j] as number);
      const error = sigmoid(z) - (labels[i] as number);
      for (let j = 0; j < d; j++) grad[j] = (grad[j] as number) + error * (xi[j] as number);
      gradBias += error;
    }
    for (let j = 0; j < d; j++) {
      weights[j] =
        (weights[j] as number) - learningRate * ((grad[j] as number) / n + l2 * (weights[j] as number));
    }
    bias -= (learningRate * gradBias) / n;
  }
  return { kind: 'logistic-regression', features: [...features], mean, scale, weights, bias };
}

/** The model's probability of the positive class for one row. */
export function predictProbability(model: LogisticModel, row: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < model.weights.length; j++) {
    z +=
      (model.weights[j] as number) *
      (((row[j] ?? 0) - (model.mean[j] as number)) / (model.scale[j] as number));
  }
  return sigmoid(z);
}
