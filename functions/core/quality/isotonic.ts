import { QualityInputError } from './errors.js';

/** A fitted non-decreasing calibration map: breakpoints x (increasing) and values y (non-decreasing). */
export interface IsotonicFit {
  x: number[];
  y: number[];
}

/**
 * Isotonic (non-decreasing) least-squares fit of y on x, as sklearn's IsotonicRegression(increasing=True):
 * rows with equal x are first replaced by their weighted mean y, then the pool-adjacent-violators algorithm
 * merges neighbouring blocks while a block's mean exceeds the next one's. {@link applyIsotonic} interpolates
 * linearly between the distinct x and clips outside them (out_of_bounds='clip').
 * @throws QualityInputError when the inputs are empty, differ in length, or hold a non-finite value
 */
export function fitIsotonic(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
): IsotonicFit {
  if (x.length === 0 || x.length !== y.length || (weights !== undefined && weights.length !== x.length)) {
    throw new QualityInputError(
      `isotonic fit: expected equal, non-zero lengths, got ${x.length} and ${y.length}`,
    );
  }
  const order = Array.from({ length: x.length }, (_, i) => i);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i] as number) || !Number.isFinite(y[i] as number)) {
      throw new QualityInputError(`isotonic fit: value ${i + 1} is not finite`);
    }
  }
  order.sort((a, b) => (x[a] as number) - (x[b] as number));
  // Blocks: [sum of w*y, sum of w, number of distinct x].
  const xs: number[] = [];
  const sums: number[] = [];
  const ws: number[] = [];
  const sizes: number[] = [];
  for (const i of order) {
    const xi = x[i] as number;
    const w = weights === undefined ? 1 : (weights[i] as number);
    if (xs.length > 0 && xs[xs.length - 1] === xi) {
      sums[sums.length - 1] = (sums[sums.length - 1] as number) + w * (y[i] as number);
      ws[ws.length - 1] = (ws[ws.length - 1] as number) + w;
      continue;
    }
    xs.push(xi);
    sums.push(w * (y[i] as number));
    ws.push(w);
    sizes.push(1);
  }
  // Pool adjacent violators over the distinct x, in place on the block stacks.
  const bSum: number[] = [];
  const bW: number[] = [];
  const bSize: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    bSum.push(sums[k] as number);
    bW.push(ws[k] as number);
    bSize.push(sizes[k] as number);
    while (bSum.length > 1) {
      const last = bSum.length - 1;
      if (
        (bSum[last - 1] as number) / (bW[last - 1] as number) <=
        (bSum[last] as number) / (bW[last] as number)
      )
        break;
      bSum[last - 1] = (bSum[last - 1] as number) + (bSum.pop() as number);
      bW[last - 1] = (bW[last - 1] as number) + (bW.pop() as number);
      bSize[last - 1] = (bSize[last - 1] as number) + (bSize.pop() as number);
    }
  }
  const fitted: number[] = [];
  for (let b = 0; b < bSum.length; b++) {
    const mean = (bSum[b] as number) / (bW[b] as number);
    for (let j = 0; j < (bSize[b] as number); j++) fitted.push(mean);
  }
  return { x: xs, y: fitted };
}

/** The fitted value at `value`: linear interpolation between breakpoints, clipped to the end values. */
export function applyIsotonic(fit: IsotonicFit, value: number): number {
  const { x, y } = fit;
  const last = x.length - 1;
  if (value <= (x[0] as number)) return y[0] as number;
  if (value >= (x[last] as number)) return y[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= value) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const x1 = x[hi] as number;
  const y0 = y[lo] as number;
  return y0 + ((value - x0) / (x1 - x0)) * ((y[hi] as number) - y0);
}
