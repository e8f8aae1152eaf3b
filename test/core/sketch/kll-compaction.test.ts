import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KllSketch } from '../../../functions/core/sketch/kll.js';
import { DISTRIBUTIONS, generate } from './support.js';

/**
 * The KLL sketch as first written (kept here as the oracle for the faster compaction): every compaction sorts
 * the whole level with Float64Array.prototype.sort, then moves every other item up; capacities, the trigger and
 * the hashed coin are the documented ones (kll.ts). The optimised sketch sorts differently and keeps upper
 * levels merged, which must not change a single item.
 */
class PlainKll {
  readonly levels: Float64Array[] = [new Float64Array(0)];
  private count = 0;

  constructor(
    private readonly k: number,
    private readonly c: number,
  ) {}

  update(value: number): void {
    this.append(0, Float64Array.of(value + 0));
    this.count++;
    this.compress();
  }

  merge(other: PlainKll): void {
    for (const [h, items] of other.levels.entries()) this.append(h, items);
    this.count += other.count;
    this.compress();
  }

  state(): number[][] {
    return this.levels.map((items) => Array.from(items.slice().sort()));
  }

  private append(h: number, items: Float64Array): void {
    while (this.levels.length <= h) this.levels.push(new Float64Array(0));
    const level = this.levels[h] ?? new Float64Array(0);
    const joined = new Float64Array(level.length + items.length);
    joined.set(level);
    joined.set(items, level.length);
    this.levels[h] = joined;
  }

  private capacity(h: number): number {
    let scaled = this.k;
    for (let d = 0; d < this.levels.length - 1 - h; d++) scaled *= this.c;
    return Math.max(2, 2 * Math.ceil(scaled / 2));
  }

  private compress(): void {
    for (;;) {
      const retained = this.levels.reduce((n, items) => n + items.length, 0);
      const total = this.levels.reduce((n, _, h) => n + this.capacity(h), 0);
      if (retained <= total) return;
      const h = this.levels.findIndex((items, level) => items.length >= this.capacity(level));
      if (h < 0) return;
      const items = (this.levels[h] ?? new Float64Array(0)).slice().sort();
      if (h + 1 === this.levels.length) this.levels.push(new Float64Array(0));
      const keep = items.length & 1;
      const offset = coin(items, h, this.count);
      const moved: number[] = [];
      for (let i = keep + offset; i < items.length; i += 2) moved.push(items[i] ?? 0);
      this.levels[h] = items.slice(0, keep);
      this.append(h + 1, Float64Array.from(moved));
    }
  }
}

/** kll.ts's coin: MurmurHash3-style hash of the sorted items' bits, n and h, top bit. */
function coin(items: Float64Array, h: number, n: number): number {
  const words = new Uint32Array(items.buffer, items.byteOffset, items.length * 2);
  const mix = (input: number) => {
    let x = input | 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    return x >>> 0;
  };
  let x = mix(Math.imul(h + 1, 0x9e3779b1) ^ (n >>> 0));
  x = mix(x ^ Math.floor(n / 4_294_967_296));
  for (const w of words) {
    let word = Math.imul(w, 0xcc9e2d51);
    word = Math.imul((word << 15) | (word >>> 17), 0x1b873593);
    x ^= word;
    x = (x << 13) | (x >>> 19);
    x = (Math.imul(x, 5) + 0xe6546b64) | 0;
  }
  return mix(x ^ words.length) >>> 31;
}

describe('KllSketch compaction', () => {
  it.each(DISTRIBUTIONS)(
    'computes the same levels as sorting every compaction in full, for %s data',
    (name) => {
      // Given 30,000 values (many compactions at k = 64, level 0 past the bucket-sort size)
      const values = generate(name, 30_000, 7);
      const fast = new KllSketch({ k: 64 });
      const plain = new PlainKll(64, KllSketch.DEFAULT_C);

      // When both sketches take them
      for (const v of values) {
        fast.update(v);
        plain.update(v);
      }

      // Then every level holds the same items
      expect(fast.toJSON().levels).toEqual(plain.state());
    },
  );

  it('computes the same levels after merges and after a JSON round trip, at Model Monitor size', () => {
    // Given two streams merged, then more values after restoring from JSON (k = 2048)
    const a = generate('normal', 20_000, 11);
    const b = generate('duplicates', 9_000, 12);
    const fast = new KllSketch();
    const other = new KllSketch();
    const plain = new PlainKll(KllSketch.DEFAULT_K, KllSketch.DEFAULT_C);
    const plainOther = new PlainKll(KllSketch.DEFAULT_K, KllSketch.DEFAULT_C);
    for (const v of a) {
      fast.update(v);
      plain.update(v);
    }
    for (const v of b) {
      other.update(v);
      plainOther.update(v);
    }

    // When they are merged, serialised, restored and fed more
    fast.merge(other);
    plain.merge(plainOther);
    const restored = KllSketch.fromJSON(JSON.parse(JSON.stringify(fast.toJSON())));
    for (const v of a.subarray(0, 8_000)) {
      restored.update(v);
      plain.update(v);
    }

    // Then the levels agree throughout
    expect(restored.toJSON().levels).toEqual(plain.state());
  });

  it('computes the same levels for random streams with extremes, -0 and repeats', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(-0, 0, 1, -1, 1e308, -1e308, 5e-324),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 3000 }),
        fc.constantFrom(8, 16, 100),
        (values, k) => {
          // Given a random stream, When both sketches take it, Then their levels agree
          const fast = new KllSketch({ k });
          const plain = new PlainKll(k, KllSketch.DEFAULT_C);
          for (const v of values) {
            fast.update(v);
            plain.update(v);
          }
          expect(fast.toJSON().levels).toEqual(plain.state());
        },
      ),
      { seed: 20_261_140, numRuns: 200 },
    );
  });
});
