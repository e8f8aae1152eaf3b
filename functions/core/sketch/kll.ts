/**
 * KLL quantile sketch (Karnin, Lang, Liberty 2016, "Optimal Quantile Approximation in Streams"),
 * laid out like Deequ's `QuantileNonSample` so it reads and writes SageMaker Model Monitor's
 * `distribution.kll.sketch` (`data[h]` holds the items of level h, each standing for 2^h stream values).
 */

/** Serialisable state of a {@link KllSketch}; `levels[h]` holds level h's items (weight 2^h each), sorted. */
export interface KllSketchState {
  k: number;
  c: number;
  n: number;
  /** Exact stream minimum; NaN (JSON `null`) when n = 0. */
  min: number;
  /** Exact stream maximum; NaN (JSON `null`) when n = 0. */
  max: number;
  levels: number[][];
}

/** Model Monitor / Deequ `distribution.kll.sketch` object: `data[h]` holds level h's items, weight 2^h each. */
export interface ModelMonitorKllSketch {
  parameters: { c: number; k: number };
  data: number[][];
}

/** Confidence of {@link KllSketch.rankErrorBound}: the bound fails with probability at most 1%. */
const FAILURE_PROBABILITY = 0.01;
const INITIAL_LEVEL_ROOM = 32;
const TWO_POW_32 = 4_294_967_296;
/** Ranges up to this length are insertion-sorted. */
const INSERTION_SORT_MAX = 16;
/** Levels with fewer items are sorted by quicksort rather than bucket sort. */
const BUCKET_SORT_MIN = 64;

/**
 * One compactor: `size` used slots of `items`; `words` aliases `items` for hashing the raw bits. `sorted` says
 * that `items[0, size)` is known to be ascending, so compaction need not sort it again.
 */
interface Level {
  items: Float64Array;
  words: Uint32Array;
  size: number;
  capacity: number;
  sorted: boolean;
}

interface SortedView {
  values: Float64Array;
  cumulative: Float64Array;
}

/**
 * Mergeable, deterministic KLL quantile sketch over finite numbers.
 *
 * Level h (0 = bottom) holds items of weight 2^h. With H levels, level h has capacity
 * C_h = max(2, 2·ceil(k·c^(H-1-h) / 2)), so the top level holds k items and lower levels shrink
 * geometrically. When the retained items exceed Σ C_h, the lowest level holding at least C_h
 * items is sorted and compacted: every other item (offset 0 or 1) moves one level up with double
 * weight; an odd leftover (the smallest) stays. Nothing is compacted while n <= k, so small
 * streams are exact. The offset is a pseudo-random bit hashed from the level's sorted contents,
 * n and h: no Math.random, so the same input in the same order gives the same sketch, and the
 * state (a pure function of k, c, n, min, max and each level's items) round-trips through JSON.
 *
 * Error bound: for a sketch built by `update`/`merge`, with probability >= 99% simultaneously
 * for all x, |rank(x) - F(x)| <= {@link KllSketch.rankErrorBound}(k, c), where F(x) is the exact
 * fraction of the stream <= x (about 0.0082 for k = 2048, c = 0.64; see docs/sketch.md for the
 * proof sketch). It assumes the offset bits behave like fair coins, which holds for data not
 * built to attack the hash.
 *
 * @example
 * const s = new KllSketch();
 * for (const v of values) s.update(v);
 * s.quantile(0.5); // median estimate
 */
export class KllSketch {
  /** Deequ's and Model Monitor's sketch size. */
  static readonly DEFAULT_K = 2048;
  /** Deequ's and Model Monitor's shrinking factor. */
  static readonly DEFAULT_C = 0.64;

  /** Capacity of the top level. */
  readonly k: number;
  /** Shrinking factor between adjacent levels' capacities. */
  readonly c: number;

  private readonly levels: Level[] = [];
  private readonly level0: Level;
  private count = 0;
  private low = Number.POSITIVE_INFINITY;
  private high = Number.NEGATIVE_INFINITY;
  private retained = 0;
  private totalCapacity = 0;
  private view: SortedView | undefined;

  /**
   * Creates an empty sketch.
   * @param options.k top-level capacity, an integer >= 8. @default KllSketch.DEFAULT_K (2048)
   * @param options.c shrinking factor, 0.5 < c < 1. @default KllSketch.DEFAULT_C (0.64)
   */
  constructor(options: { k?: number; c?: number } = {}) {
    const k = options.k ?? KllSketch.DEFAULT_K;
    const c = options.c ?? KllSketch.DEFAULT_C;
    validateParameters(k, c, 'k', 'c');
    this.k = k;
    this.c = c;
    this.level0 = this.addLevel();
  }

  /** Number of values added (the total weight of the sketch). */
  get n(): number {
    return this.count;
  }

  /** Exact minimum of the stream; NaN when empty. */
  get min(): number {
    return this.count === 0 ? Number.NaN : this.low;
  }

  /** Exact maximum of the stream; NaN when empty. */
  get max(): number {
    return this.count === 0 ? Number.NaN : this.high;
  }

  /** Adds one value. Throws RangeError on NaN or ±Infinity (callers filter missing values). */
  update(value: number): void {
    if (!Number.isFinite(value)) {
      throw new RangeError(`KllSketch.update: value must be a finite number, got ${String(value)}`);
    }
    // -0 becomes +0 so that JSON (which has no -0) round-trips the state exactly.
    const v = value + 0;
    if (v < this.low) this.low = v;
    if (v > this.high) this.high = v;
    const level = this.level0;
    if (level.size === level.items.length) growLevel(level, level.size + 1);
    level.items[level.size++] = v;
    level.sorted = false;
    this.count++;
    this.view = undefined;
    if (++this.retained > this.totalCapacity) this.compress();
  }

  /** Merges `other` into this sketch (mutating this, not other) and returns this. Throws when k or c differ. */
  merge(other: KllSketch): this {
    if (other.k !== this.k || other.c !== this.c) {
      throw new RangeError(
        `KllSketch.merge: parameters differ (this k=${this.k} c=${this.c}, other k=${other.k} c=${other.c})`,
      );
    }
    if (other.count === 0) return this;
    const incoming = other.levels.map((level) => level.items.slice(0, level.size));
    while (this.levels.length < incoming.length) this.addLevel();
    incoming.forEach((items, h) => {
      const level = this.levels[h];
      if (level === undefined || items.length === 0) return;
      growLevel(level, level.size + items.length);
      level.items.set(items, level.size);
      level.size += items.length;
      level.sorted = false;
      this.retained += items.length;
    });
    this.count += other.count;
    if (other.low < this.low) this.low = other.low;
    if (other.high > this.high) this.high = other.high;
    this.view = undefined;
    this.compress();
    return this;
  }

  /**
   * Estimated normalized rank: rank(x) = (Σ_h 2^h · #{items of level h that are <= x}) / n, the
   * fraction of the stream <= x, in [0, 1]; exact while n <= k; 0 when empty. Throws RangeError on NaN.
   */
  rank(x: number): number {
    if (Number.isNaN(x)) throw new RangeError('KllSketch.rank: x must be a number, got NaN');
    if (this.count === 0) return 0;
    const { values, cumulative } = this.sortedView();
    const i = lastIndexAtMost(values, x);
    return i < 0 ? 0 : (cumulative[i] ?? 0);
  }

  /**
   * Estimated lower q-quantile: the smallest retained item v with rank(v) >= q; quantile(0) is the exact
   * min and quantile(1) the exact max. NaN when empty. Throws RangeError unless 0 <= q <= 1.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) {
      throw new RangeError(`KllSketch.quantile: q must be in [0, 1], got ${String(q)}`);
    }
    if (this.count === 0) return Number.NaN;
    if (q === 0) return this.low;
    if (q === 1) return this.high;
    const { values, cumulative } = this.sortedView();
    const i = firstIndexAtLeast(cumulative, q);
    return values[Math.min(i, values.length - 1)] ?? this.high;
  }

  /**
   * Estimated CDF as a step function: `values` are the sorted distinct retained items and
   * `cumulative[i]` = rank(values[i]) (weight of items <= values[i] over n; the last is 1).
   * Empty arrays when the sketch is empty. The arrays are copies.
   */
  cdf(): { values: Float64Array; cumulative: Float64Array } {
    const view = this.sortedView();
    return { values: view.values.slice(), cumulative: view.cumulative.slice() };
  }

  /** Lossless state; levels are sorted copies. Feed it to {@link KllSketch.fromJSON} to continue. */
  toJSON(): KllSketchState {
    return {
      k: this.k,
      c: this.c,
      n: this.count,
      min: this.min,
      max: this.max,
      levels: this.levels.map((level) => Array.from(level.items.slice(0, level.size).sort())),
    };
  }

  /** Restores a sketch from {@link KllSketch.toJSON} output (also after JSON.stringify/parse); validates the shape. */
  static fromJSON(state: unknown): KllSketch {
    const where = 'KllSketch.fromJSON';
    const s = asRecord(state, where, 'state');
    const k = s.k;
    const c = s.c;
    if (typeof k !== 'number') throw new TypeError(`${where}: k must be a number, got ${describe(k)}`);
    if (typeof c !== 'number') throw new TypeError(`${where}: c must be a number, got ${describe(c)}`);
    validateParameters(k, c, 'k', 'c', where);
    const n = s.n;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new RangeError(`${where}: n must be a non-negative integer, got ${describe(n)}`);
    }
    const levels = readLevels(s.levels, where, 'levels');
    if (levels.length === 0) throw new RangeError(`${where}: levels must hold at least one level, got []`);
    const weight = totalWeight(levels, where, 'levels');
    if (weight !== n) {
      throw new RangeError(
        `${where}: levels carry weight ${weight} (Σ 2^h · levels[h].length) but n is ${n}`,
      );
    }
    let min = Number.NaN;
    let max = Number.NaN;
    if (n > 0) {
      min = readFinite(s.min, where, 'min');
      max = readFinite(s.max, where, 'max');
      if (min > max) throw new RangeError(`${where}: min ${min} is greater than max ${max}`);
      checkItemsWithin(levels, min, max, where, 'levels');
    } else if (!isEmptyBound(s.min) || !isEmptyBound(s.max)) {
      throw new RangeError(`${where}: min and max must be null or NaN when n is 0`);
    }
    const sketch = new KllSketch({ k, c });
    sketch.load(levels, n, min, max);
    return sketch;
  }

  /** Model Monitor / Deequ layout: `{ parameters: { c, k }, data }` with `data[h]` = level h (weight 2^h). */
  toModelMonitor(): ModelMonitorKllSketch {
    return { parameters: { c: this.c, k: this.k }, data: this.toJSON().levels };
  }

  /**
   * Reads a Model Monitor `distribution.kll.sketch`. n = Σ_h 2^h · data[h].length. min/max come from
   * `stats` (the feature's exact `min`/`max` in statistics.json) when given, else from the retained
   * items (then only bounds of the true extremes). Throws when the shape is wrong, parameters are out of
   * range (k integer >= 8, 0.5 < c < 1) or an item lies outside [stats.min, stats.max].
   */
  static fromModelMonitor(sketch: unknown, stats?: { min?: number; max?: number }): KllSketch {
    const where = 'KllSketch.fromModelMonitor';
    const s = asRecord(sketch, where, 'sketch');
    const parameters = asRecord(s.parameters, where, 'parameters');
    const k = parameters.k;
    const c = parameters.c;
    if (typeof k !== 'number') {
      throw new TypeError(`${where}: parameters.k must be a number, got ${describe(k)}`);
    }
    if (typeof c !== 'number') {
      throw new TypeError(`${where}: parameters.c must be a number, got ${describe(c)}`);
    }
    validateParameters(k, c, 'parameters.k', 'parameters.c', where);
    const data = readLevels(s.data, where, 'data');
    const levels = data.length === 0 ? [[]] : data;
    const n = totalWeight(levels, where, 'data');
    const result = new KllSketch({ k, c });
    if (n === 0) return result;
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (const level of levels) {
      for (const v of level) {
        if (v < lowest) lowest = v;
        if (v > highest) highest = v;
      }
    }
    const min = stats?.min === undefined ? lowest : readFinite(stats.min, where, 'stats.min');
    const max = stats?.max === undefined ? highest : readFinite(stats.max, where, 'stats.max');
    if (min > lowest) {
      throw new RangeError(`${where}: stats.min ${min} is greater than the smallest sketch item ${lowest}`);
    }
    if (max < highest) {
      throw new RangeError(`${where}: stats.max ${max} is less than the largest sketch item ${highest}`);
    }
    result.load(levels, n, min + 0, max + 0);
    return result;
  }

  /**
   * Rank error ε guaranteed with probability >= 99% simultaneously for every x:
   * ε = (sqrt(8c·ln(4k/δ) / (2c - 1)) + 1) / k with δ = 0.01 (Azuma-Hoeffding over the compaction
   * coins, union bound over 2k grid queries; derivation in docs/sketch.md). k = 2048, c = 0.64 gives ≈ 0.0082.
   */
  static rankErrorBound(k: number, c: number = KllSketch.DEFAULT_C): number {
    validateParameters(k, c, 'k', 'c', 'KllSketch.rankErrorBound');
    const deviation = Math.sqrt((8 * c * Math.log((4 * k) / FAILURE_PROBABILITY)) / (2 * c - 1));
    return (deviation + 1) / k;
  }

  private addLevel(): Level {
    const items = new Float64Array(INITIAL_LEVEL_ROOM);
    const level: Level = { items, words: new Uint32Array(items.buffer), size: 0, capacity: 0, sorted: true };
    this.levels.push(level);
    this.updateCapacities();
    return level;
  }

  /** C_h = max(2, 2·ceil(k·c^(H-1-h)/2)); c^d by repeated multiplication so every platform agrees. */
  private updateCapacities(): void {
    const height = this.levels.length;
    let scaled = this.k;
    let total = 0;
    for (let h = height - 1; h >= 0; h--) {
      const level = this.levels[h];
      if (level === undefined) continue;
      level.capacity = Math.max(2, 2 * Math.ceil(scaled / 2));
      total += level.capacity;
      scaled *= this.c;
    }
    this.totalCapacity = total;
  }

  private compress(): void {
    while (this.retained > this.totalCapacity) {
      // Some level holds more than its capacity (pigeonhole), so this finds one.
      let h = 0;
      const levels = this.levels;
      while (h < levels.length && (levels[h]?.size ?? 0) < (levels[h]?.capacity ?? 0)) h++;
      if (h === levels.length) return;
      this.compact(h);
    }
  }

  /**
   * Sorts level h and moves every other item (from offset 0 or 1, after an odd smallest leftover) one level up.
   * Levels above 0 are kept sorted by merging each moved run in, which is much cheaper than sorting them whole
   * at their next compaction; the items, and so the hashed coin, are the same as with a full sort.
   */
  private compact(h: number): void {
    const level = this.levels[h];
    if (level === undefined) return;
    const next = this.levels[h + 1] ?? this.addLevel();
    const size = level.size;
    const items = level.items;
    if (!level.sorted) sortAscending(items, size);
    const keep = size & 1;
    const offset = this.coin(level, h);
    const moved = (size - keep) >> 1;
    growLevel(next, next.size + moved);
    const target = next.items;
    const first = keep + offset;
    if (next.sorted) {
      // Merge from the back, so that no item of `target` is overwritten before it is read.
      let i = next.size - 1;
      let j = moved - 1;
      let w = next.size + moved - 1;
      while (j >= 0) {
        // In-bounds reads; `?? 0` only satisfies noUncheckedIndexedAccess.
        const candidate = items[first + 2 * j] ?? 0;
        const existing = i >= 0 ? (target[i] ?? 0) : Number.NEGATIVE_INFINITY;
        if (existing > candidate) {
          target[w--] = existing;
          i--;
        } else {
          target[w--] = candidate;
          j--;
        }
      }
    } else {
      let w = next.size;
      for (let i = first; i < size; i += 2) target[w++] = items[i] ?? 0;
    }
    next.size += moved;
    level.size = keep;
    level.sorted = true;
    this.retained -= moved;
  }

  /** Offset bit for compacting level h: MurmurHash3-style hash of the sorted items' bits, n and h. */
  private coin(level: Level, h: number): number {
    const words = level.words;
    const length = level.size * 2;
    let x = mix32(Math.imul(h + 1, 0x9e3779b1) ^ (this.count >>> 0));
    x = mix32(x ^ Math.floor(this.count / TWO_POW_32));
    for (let i = 0; i < length; i++) {
      let word = Math.imul(words[i] ?? 0, 0xcc9e2d51);
      word = Math.imul((word << 15) | (word >>> 17), 0x1b873593);
      x ^= word;
      x = (x << 13) | (x >>> 19);
      x = (Math.imul(x, 5) + 0xe6546b64) | 0;
    }
    return mix32(x ^ length) >>> 31;
  }

  private load(levels: number[][], n: number, min: number, max: number): void {
    while (this.levels.length < levels.length) this.addLevel();
    let retained = 0;
    levels.forEach((values, h) => {
      const level = this.levels[h];
      if (level === undefined) return;
      growLevel(level, values.length);
      // +0 folds -0 into 0, as update does.
      for (let i = 0; i < values.length; i++) level.items[i] = (values[i] ?? 0) + 0;
      level.size = values.length;
      level.sorted = false;
      retained += values.length;
    });
    this.retained = retained;
    this.count = n;
    this.low = n === 0 ? Number.POSITIVE_INFINITY : min;
    this.high = n === 0 ? Number.NEGATIVE_INFINITY : max;
    this.view = undefined;
  }

  private sortedView(): SortedView {
    if (this.view !== undefined) return this.view;
    let values: Float64Array = new Float64Array(0);
    let weights: Float64Array = new Float64Array(0);
    this.levels.forEach((level, h) => {
      if (level.size === 0) return;
      const sorted = level.items.slice(0, level.size).sort();
      [values, weights] = mergeSorted(values, weights, sorted, 2 ** h);
    });
    // Collapse equal items into one step; weights are integers < 2^53, so sums are exact.
    const distinct = new Float64Array(values.length);
    const cumulative = new Float64Array(values.length);
    let m = -1;
    let running = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] ?? 0;
      running += weights[i] ?? 0;
      if (m < 0 || distinct[m] !== v) m++;
      distinct[m] = v;
      cumulative[m] = running / this.count;
    }
    this.view = { values: distinct.slice(0, m + 1), cumulative: cumulative.slice(0, m + 1) };
    return this.view;
  }
}

function validateParameters(k: number, c: number, kName: string, cName: string, where = 'KllSketch'): void {
  if (!Number.isSafeInteger(k) || k < 8) {
    throw new RangeError(`${where}: ${kName} must be an integer >= 8, got ${describe(k)}`);
  }
  if (!(c > 0.5 && c < 1)) {
    throw new RangeError(`${where}: ${cName} must satisfy 0.5 < ${cName} < 1, got ${describe(c)}`);
  }
}

function growLevel(level: Level, needed: number): void {
  if (needed <= level.items.length) return;
  const items = new Float64Array(Math.max(needed, level.items.length * 2));
  items.set(level.items.subarray(0, level.size));
  level.items = items;
  level.words = new Uint32Array(items.buffer);
}

/** Shared scratch space of {@link sortAscending}, grown on demand. */
let bucketEnds = new Int32Array(0);
let bucketOf = new Int32Array(0);
let sortScratch = new Float64Array(0);

/**
 * Sorts `a[0, n)` ascending in place. Items are finite and never -0 (update and load fold it to +0), so every
 * correct sort gives the same array; this one is chosen for speed on the few hundred random items a level-0
 * compaction sorts, where comparison sorts (the built-in one included) spend most of their time on mispredicted
 * branches: a bucket sort over n/2 equal-width buckets between min and max (bucket index
 * floor((x - min) · buckets / (max - min)), monotone in x), then each bucket by insertion sort, or by
 * {@link quicksort} when one holds many items (skewed data).
 */
function sortAscending(a: Float64Array, n: number): void {
  if (n < BUCKET_SORT_MIN) {
    quicksort(a, 0, n - 1, depthLimit(n));
    return;
  }
  // In-bounds reads throughout; `?? 0` only satisfies noUncheckedIndexedAccess.
  let min = a[0] ?? 0;
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = a[i] ?? 0;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const range = max - min;
  if (range === 0) return;
  if (!(range < Number.POSITIVE_INFINITY)) {
    quicksort(a, 0, n - 1, depthLimit(n));
    return;
  }
  const buckets = n >> 1;
  if (bucketEnds.length <= buckets) bucketEnds = new Int32Array(2 * buckets + 2);
  if (sortScratch.length < n) {
    sortScratch = new Float64Array(2 * n);
    bucketOf = new Int32Array(2 * n);
  }
  const ends = bucketEnds;
  const of = bucketOf;
  const scratch = sortScratch;
  const scale = buckets / range;
  ends.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) {
    const b = Math.min(((a[i] ?? 0) - min) * scale, buckets - 1) | 0;
    of[i] = b;
    ends[b + 1] = (ends[b + 1] ?? 0) + 1;
  }
  for (let b = 0; b < buckets; b++) ends[b + 1] = (ends[b + 1] ?? 0) + (ends[b] ?? 0);
  // ends[b] is now where bucket b starts; placing items advances it to where bucket b ends.
  for (let i = 0; i < n; i++) {
    const b = of[i] ?? 0;
    const at = ends[b] ?? 0;
    scratch[at] = a[i] ?? 0;
    ends[b] = at + 1;
  }
  a.set(scratch.subarray(0, n));
  let start = 0;
  for (let b = 0; b < buckets; b++) {
    const end = ends[b] ?? 0;
    if (end - start > INSERTION_SORT_MAX) quicksort(a, start, end - 1, depthLimit(end - start));
    else if (end - start > 1) insertionSort(a, start, end - 1);
    start = end;
  }
}

function depthLimit(n: number): number {
  return 2 * Math.ceil(Math.log2(n + 1));
}

/**
 * Sorts `a[lo, hi]` ascending: quicksort (median-of-three pivot, Hoare partition) with insertion sort for short
 * ranges; after `depth` partitions the range goes to the built-in sort, which bounds the worst case.
 */
function quicksort(a: Float64Array, lo: number, hi: number, depth: number): void {
  // In-bounds reads throughout; `?? 0` only satisfies noUncheckedIndexedAccess.
  while (hi - lo >= INSERTION_SORT_MAX) {
    if (depth-- === 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const mid = (lo + hi) >>> 1;
    let x = a[lo] ?? 0;
    let y = a[mid] ?? 0;
    let z = a[hi] ?? 0;
    // Order a[lo] <= a[mid] <= a[hi]: they bound the partition scans below.
    if (y < x) [x, y] = [y, x];
    if (z < y) {
      [y, z] = [z, y];
      if (y < x) [x, y] = [y, x];
    }
    a[lo] = x;
    a[mid] = y;
    a[hi] = z;
    const pivot = y;
    let i = lo;
    let j = hi;
    for (;;) {
      do i++;
      while ((a[i] ?? 0) < pivot);
      do j--;
      while ((a[j] ?? 0) > pivot);
      if (i >= j) break;
      const t = a[i] ?? 0;
      a[i] = a[j] ?? 0;
      a[j] = t;
    }
    // Recurse into the smaller side, loop on the larger: the stack stays O(log n).
    if (j - lo < hi - j) {
      quicksort(a, lo, j, depth);
      lo = j + 1;
    } else {
      quicksort(a, j + 1, hi, depth);
      hi = j;
    }
  }
  insertionSort(a, lo, hi);
}

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i] ?? 0;
    let j = i - 1;
    while (j >= lo && (a[j] ?? 0) > v) {
      a[j + 1] = a[j] ?? 0;
      j--;
    }
    a[j + 1] = v;
  }
}

/** MurmurHash3 fmix32 finalizer. */
function mix32(input: number): number {
  let x = input | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function mergeSorted(
  aValues: Float64Array,
  aWeights: Float64Array,
  bValues: Float64Array,
  bWeight: number,
): [Float64Array, Float64Array] {
  const size = aValues.length + bValues.length;
  const values = new Float64Array(size);
  const weights = new Float64Array(size);
  let i = 0;
  let j = 0;
  for (let o = 0; o < size; o++) {
    const a = aValues[i];
    const b = bValues[j];
    if (b === undefined || (a !== undefined && a <= b)) {
      values[o] = a ?? 0;
      weights[o] = aWeights[i] ?? 0;
      i++;
    } else {
      values[o] = b;
      weights[o] = bWeight;
      j++;
    }
  }
  return [values, weights];
}

/** Index of the last element <= x in ascending `values`, or -1. */
function lastIndexAtMost(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first element >= q in ascending `values`, or values.length. */
function firstIndexAtLeast(values: Float64Array, q: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? 0) < q) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function asRecord(value: unknown, where: string, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: ${field} must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function readLevels(value: unknown, where: string, field: string): number[][] {
  if (!Array.isArray(value))
    throw new TypeError(`${where}: ${field} must be an array, got ${describe(value)}`);
  return value.map((level: unknown, h) => {
    if (!Array.isArray(level)) {
      throw new TypeError(`${where}: ${field}[${h}] must be an array of numbers, got ${describe(level)}`);
    }
    return level.map((item: unknown, i) => {
      if (typeof item !== 'number' || !Number.isFinite(item)) {
        throw new TypeError(`${where}: ${field}[${h}][${i}] must be a finite number, got ${describe(item)}`);
      }
      return item;
    });
  });
}

function totalWeight(levels: number[][], where: string, field: string): number {
  let weight = 0;
  levels.forEach((level, h) => {
    weight += level.length * 2 ** h;
  });
  if (!Number.isSafeInteger(weight)) {
    throw new RangeError(`${where}: ${field} carry weight ${weight}, beyond the exactly countable 2^53 - 1`);
  }
  return weight;
}

function readFinite(value: unknown, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${where}: ${field} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

function checkItemsWithin(levels: number[][], min: number, max: number, where: string, field: string): void {
  levels.forEach((level, h) => {
    level.forEach((v, i) => {
      if (v < min || v > max) {
        throw new RangeError(`${where}: ${field}[${h}][${i}] = ${v} lies outside [min ${min}, max ${max}]`);
      }
    });
  });
}

function isEmptyBound(value: unknown): boolean {
  return value === null || (typeof value === 'number' && Number.isNaN(value));
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
