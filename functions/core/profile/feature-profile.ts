import { ProfileMergeError } from '../../errors.js';
import { KllSketch, type KllSketchState } from '../sketch/kll.js';
import { type CategoryCountsState, emptyCategories, mergeCategories } from './categories.js';
import { addMoment, emptyMoments, type MomentsState, mergeMoments } from './moments.js';
import type { ClassifiedValue, ValueClass } from './value.js';

/** What a feature is for drift purposes: numbers compared as distributions, or labels compared as frequencies. */
export type FeatureKind = 'numeric' | 'categorical';

/** Up to this many edges, {@link binIndex} scans instead of bisecting. */
const LINEAR_SEARCH_MAX_EDGES = 16;

/** Counts over a baseline's bin edges: `counts[i]` is bin i of `edges.length + 1` bins (see {@link binIndex}). */
export interface BinCountsState {
  edges: number[];
  counts: number[];
}

/** The serialisable, mergeable profile of one feature (or one prediction column). */
export interface FeatureProfileState {
  name: string;
  /** The kind this profile was built for; undefined while still unknown (baseline inference tracks both). */
  kind?: FeatureKind;
  /** Values seen, present and missing. */
  count: number;
  missing: number;
  integral: number;
  fractional: number;
  string: number;
  /** Moments and sketch of the numeric values (integral + fractional); absent for categorical features. */
  numeric?: MomentsState & { sketch: KllSketchState };
  /** Counts over the baseline's bin edges, when the profile was built against a baseline. */
  bins?: BinCountsState;
  /** Bounded category frequencies of the values as text; absent for numeric features. */
  categories?: CategoryCountsState;
}

/** Options that fix the shape of a feature profile. */
export interface FeatureProfileOptions {
  kind?: FeatureKind;
  /** Sorted, strictly increasing interior bin edges from the baseline. */
  binEdges?: readonly number[];
  /** @default 100 */
  categoricalTopK?: number;
  /** @default KllSketch.DEFAULT_K */
  sketchK?: number;
}

/**
 * Bin index of x for interior edges e_0 < ... < e_{m-1}: bins are left-closed, and the outer bins are
 * open-ended, so bin 0 is (-inf, e_0), bin i is [e_{i-1}, e_i), and bin m is [e_{m-1}, +inf).
 */
export function binIndex(edges: readonly number[], x: number): number {
  if (edges.length <= LINEAR_SEARCH_MAX_EDGES) {
    // A short scan mispredicts one branch where a binary search mispredicts about log2(m).
    let i = 0;
    while (i < edges.length && !(x < (edges[i] ?? Number.POSITIVE_INFINITY))) i++;
    return i;
  }
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < (edges[mid] ?? Number.POSITIVE_INFINITY)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Accumulates one feature's profile from classified values; `toState()` gives the serialisable form. */
export class FeatureAccumulator {
  readonly name: string;
  private readonly kind: FeatureKind | undefined;
  private count = 0;
  private missing = 0;
  private integral = 0;
  private fractional = 0;
  private string = 0;
  private readonly moments: MomentsState | undefined;
  private readonly sketch: KllSketch | undefined;
  private readonly edges: readonly number[] | undefined;
  private readonly binCounts: number[] | undefined;
  /** Category counts in first-seen order; boxed so that counting an existing value is one lookup. */
  private readonly categories: Map<string, { n: number }> | undefined;
  private readonly topK: number;
  private other = 0;

  constructor(name: string, options: FeatureProfileOptions = {}) {
    this.name = name;
    this.kind = options.kind;
    this.topK = options.categoricalTopK ?? 100;
    emptyCategories(this.topK); // validates topK
    if (this.kind !== 'categorical') {
      this.moments = emptyMoments();
      this.sketch = new KllSketch({ k: options.sketchK ?? KllSketch.DEFAULT_K });
      if (options.binEdges) {
        this.edges = options.binEdges;
        this.binCounts = new Array<number>(options.binEdges.length + 1).fill(0);
      }
    }
    if (this.kind !== 'numeric') this.categories = new Map();
  }

  /** Whether values' texts are read: only for category counting (categorical features, or kind not yet known). */
  get wantsText(): boolean {
    return this.categories !== undefined;
  }

  /** Adds one classified value. */
  add(v: ClassifiedValue): void {
    this.addParts(v.cls, v.num, v.text);
  }

  /** Adds one value given as its class, number and text; `text` is read only when {@link wantsText}. */
  addParts(cls: ValueClass, num: number, text: string): void {
    this.count += 1;
    switch (cls) {
      case 'missing':
        this.missing += 1;
        return;
      case 'integral':
        this.integral += 1;
        break;
      case 'fractional':
        this.fractional += 1;
        break;
      case 'string':
        this.string += 1;
        break;
    }
    if (cls !== 'string' && this.moments && this.sketch) {
      addMoment(this.moments, num);
      this.sketch.update(num);
      if (this.edges && this.binCounts) {
        const i = binIndex(this.edges, num);
        this.binCounts[i] = (this.binCounts[i] ?? 0) + 1;
      }
    }
    if (this.categories) {
      const c = this.categories.get(text);
      if (c !== undefined) c.n += 1;
      else if (this.categories.size < this.topK) this.categories.set(text, { n: 1 });
      else this.other += 1;
    }
  }

  /** Adds one missing value. */
  addMissing(): void {
    this.count += 1;
    this.missing += 1;
  }

  /** The serialisable profile so far. */
  toState(): FeatureProfileState {
    const state: FeatureProfileState = {
      name: this.name,
      count: this.count,
      missing: this.missing,
      integral: this.integral,
      fractional: this.fractional,
      string: this.string,
    };
    if (this.kind) state.kind = this.kind;
    if (this.moments && this.sketch) state.numeric = { ...this.moments, sketch: this.sketch.toJSON() };
    if (this.edges && this.binCounts) state.bins = { edges: [...this.edges], counts: [...this.binCounts] };
    if (this.categories) {
      const counts = Object.create(null) as Record<string, number>;
      for (const [k, v] of this.categories) counts[k] = v.n;
      state.categories = { topK: this.topK, counts, other: this.other };
    }
    return state;
  }
}

/** Throws when two profiles of one feature cannot be merged, naming the feature and the mismatch. */
function assertMergeable(a: FeatureProfileState, b: FeatureProfileState): void {
  if (a.name !== b.name)
    throw new ProfileMergeError(`cannot merge profiles of different features: "${a.name}" and "${b.name}"`);
  if (a.kind !== b.kind) {
    throw new ProfileMergeError(
      `cannot merge profiles of feature "${a.name}": kinds differ (${a.kind ?? 'unknown'} vs ${b.kind ?? 'unknown'})`,
    );
  }
  if (a.bins && b.bins && a.bins.edges.join(',') !== b.bins.edges.join(',')) {
    throw new ProfileMergeError(
      `cannot merge profiles of feature "${a.name}": built against different baseline bin edges`,
    );
  }
}

/**
 * Merges two profiles of the same feature into a new one. Counts, type counts, min, max and bin counts are
 * exact; mean and variance are merged exactly (up to rounding); sketches merge with KLL's error bound;
 * categories as described in {@link mergeCategories}. Associative and commutative in that sense.
 */
export function mergeFeatureProfiles(a: FeatureProfileState, b: FeatureProfileState): FeatureProfileState {
  assertMergeable(a, b);
  const out: FeatureProfileState = {
    name: a.name,
    count: a.count + b.count,
    missing: a.missing + b.missing,
    integral: a.integral + b.integral,
    fractional: a.fractional + b.fractional,
    string: a.string + b.string,
  };
  if (a.kind) out.kind = a.kind;
  if (a.numeric && b.numeric) {
    const sketch = KllSketch.fromJSON(a.numeric.sketch).merge(KllSketch.fromJSON(b.numeric.sketch));
    out.numeric = { ...mergeMoments(a.numeric, b.numeric), sketch: sketch.toJSON() };
  } else if (a.numeric || b.numeric) {
    throw new ProfileMergeError(
      `cannot merge profiles of feature "${a.name}": only one has numeric statistics`,
    );
  }
  if (a.bins && b.bins) {
    out.bins = {
      edges: [...a.bins.edges],
      counts: a.bins.counts.map((c, i) => c + (b.bins?.counts[i] ?? 0)),
    };
  } else if (a.bins || b.bins) {
    throw new ProfileMergeError(
      `cannot merge profiles of feature "${a.name}": only one was built against baseline bins`,
    );
  }
  if (a.categories && b.categories) out.categories = mergeCategories(a.categories, b.categories);
  else if (a.categories || b.categories) {
    throw new ProfileMergeError(`cannot merge profiles of feature "${a.name}": only one has category counts`);
  }
  return out;
}
