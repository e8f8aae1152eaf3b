// The seeded generators are the benchmark's (bench/random.ts): one implementation for tests and bench data.
export { mulberry32, normal } from '../../bench/random.js';

/** A categorical draw with the given probabilities. */
export function categorical(
  rand: () => number,
  labels: readonly string[],
  probs: readonly number[],
): () => string {
  return () => {
    let u = rand();
    for (let i = 0; i < labels.length; i++) {
      u -= probs[i] ?? 0;
      if (u < 0) return labels[i] ?? '';
    }
    return labels[labels.length - 1] ?? '';
  };
}
