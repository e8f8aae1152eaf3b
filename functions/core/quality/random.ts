import { QualityInputError } from './errors.js';

const TWO_POW_32 = 4294967296;

/** One step of splitmix32 on `state`: returns the new state and a well-mixed 32-bit output. */
function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next ^ (next >>> 16);
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return [next, z >>> 0];
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/**
 * Seeded pseudo-random generator, xoshiro128** 1.1 (Blackman and Vigna), so every bootstrap interval and
 * standard deviation can be reproduced from its seed. The four state words are the first four outputs of
 * splitmix32 started at the seed. The generator is part of the reproducibility contract: changing it changes
 * every seeded result. Never Math.random.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @throws QualityInputError unless `seed` is an integer in [0, 2^32 - 1]. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new QualityInputError(`seed: expected an integer in [0, 4294967295], got ${seed}`);
    }
    let state = seed | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, output] = splitmix32(state);
      state = next;
      words.push(output | 0);
    }
    [this.s0, this.s1, this.s2, this.s3] = words as [number, number, number, number];
    // xoshiro's one forbidden state; splitmix32 does not produce it in practice.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform integer in [0, n): floor(u * n / 2^32) for the next 32-bit output u (bias below n / 2^32). */
  nextInt(n: number): number {
    return Math.floor((this.nextUint32() / TWO_POW_32) * n);
  }
}

/**
 * One bootstrap resample as counts: n indices drawn uniformly with replacement from [0, n), and `out[i]` the
 * number of times index i was drawn (the counts sum to n). Metrics weighted by these counts equal the metrics
 * of the resampled rows.
 */
export function bootstrapCounts(n: number, random: SeededRandom, out = new Uint32Array(n)): Uint32Array {
  out.fill(0);
  for (let k = 0; k < n; k++) {
    const i = random.nextInt(n);
    out[i] = (out[i] as number) + 1;
  }
  return out;
}

/**
 * A subsample without replacement as 0/1 weights: exactly m of the n indices get weight 1, chosen by the first
 * m steps of a Fisher-Yates shuffle.
 */
export function subsampleWeights(n: number, m: number, random: SeededRandom): Uint32Array {
  const index = new Uint32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const weights = new Uint32Array(n);
  for (let i = 0; i < m; i++) {
    const j = i + random.nextInt(n - i);
    const picked = index[j] as number;
    index[j] = index[i] as number;
    index[i] = picked;
    weights[picked] = 1;
  }
  return weights;
}
