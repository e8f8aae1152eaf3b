/**
 * Properties (fast-check) the deployed pipeline relies on, beyond the per-module ones in test/core: a capture
 * stream split into objects anywhere between lines profiles to the same merged profile as the whole stream (with
 * either line parser), and profiles merged in any order and grouping agree on every exact field and stay within
 * the KLL sketch's stated rank error.
 * Existing properties this builds on: chunking invariance (test/core/capture/line-reader.test.ts,
 * fast-equivalence.test.ts), accepted + rejected === lines (parse-capture.test.ts), three-way merge associativity
 * (test/core/profile/dataset-profile.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCaptureStream } from '../../functions/core/capture/parse-capture.js';
import {
  type DatasetProfileState,
  mergeDatasetProfiles,
  ProfileBuilder,
  type ProfileSchema,
} from '../../functions/core/profile/dataset-profile.js';
import { KllSketch } from '../../functions/core/sketch/kll.js';
import { captureRecord } from './support.js';

const SKETCH_K = 64;
const schema: ProfileSchema = {
  features: [
    { name: 'x', kind: 'numeric', binEdges: [-10, 0, 10], sketchK: SKETCH_K },
    // More slots than the generator's 8 categories: below top-k, category counts merge exactly.
    { name: 'c', kind: 'categorical', categoricalTopK: 16 },
  ],
  outputs: [{ name: 'prediction', kind: 'numeric' }],
};
const encoder = new TextEncoder();

/** What must be exactly equal however the data is split and merged (sums to 1e-6). */
function exactPart(p: DatasetProfileState) {
  return {
    records: p.records,
    rows: p.rows,
    inferenceTime: p.inferenceTime,
    features: [...p.features, ...p.outputs].map((f) => ({
      name: f.name,
      counts: [f.count, f.missing, f.integral, f.fractional, f.string],
      min: f.numeric?.min,
      max: f.numeric?.max,
      sum: f.numeric ? Math.round(f.numeric.sum * 1e6) : undefined,
      bins: f.bins?.counts,
      sketchN: f.numeric?.sketch.n,
      categories: f.categories ? { ...f.categories.counts, '<other>': f.categories.other } : undefined,
    })),
  };
}

async function profileText(text: string, parser: 'fast' | 'reference'): Promise<DatasetProfileState> {
  const builder = new ProfileBuilder(schema);
  const summary = await parseCaptureStream(
    (async function* () {
      yield encoder.encode(text);
    })(),
    builder,
    { parser, input: { columns: ['x', 'c'] } },
  );
  return builder.toState({ lines: summary.lines, accepted: summary.accepted, rejected: summary.rejected });
}

const lineArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        x: fc.oneof(fc.integer({ min: -30, max: 30 }).map(String), fc.constantFrom('', 'NaN', 'abc', '2.5')),
        c: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'é', ''),
        minute: fc.integer({ min: 0, max: 59 }),
      })
      .map(({ x, c, minute }) =>
        JSON.stringify(
          captureRecord(x, c, { inferenceTime: `2026-11-26T10:${String(minute).padStart(2, '0')}:00Z` }),
        ),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom('{"captureData": trunc', '[1]', '{"captureData":{}}', '', '  ') },
);

/** Cut points (line indices) splitting `n` lines into consecutive, possibly empty, parts. */
const cutsArb = fc.array(fc.nat(), { maxLength: 5 });

function splitLines(lines: string[], cuts: number[]): string[][] {
  const at = [...new Set(cuts.map((c) => c % (lines.length + 1)))].sort((a, b) => a - b);
  const parts: string[][] = [];
  let from = 0;
  for (const cut of [...at, lines.length]) {
    parts.push(lines.slice(from, cut));
    from = cut;
  }
  return parts;
}

const asFile = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('split-anywhere capture parsing (property)', () => {
  it.each(['fast', 'reference'] as const)(
    'computes the same merged profile for a stream split into objects between any lines (%s parser)',
    async (parser) => {
      await fc.assert(
        fc.asyncProperty(fc.array(lineArb, { maxLength: 60 }), cutsArb, async (lines, cuts) => {
          // Given a capture stream and the same lines cut into several objects
          const parts = splitLines(lines, cuts);
          // When the whole and each part are profiled, and the parts merged
          const whole = await profileText(asFile(lines), parser);
          const pieces = await Promise.all(parts.map((p) => profileText(asFile(p), parser)));
          const merged = pieces.reduce((a, b) => mergeDatasetProfiles(a, b));
          // Then every exact field agrees, line counts included
          expect(exactPart(merged)).toEqual(exactPart(whole));
          expect(merged.records.accepted + merged.records.rejected).toBe(merged.records.lines);
        }),
        { seed: 20_261_209, numRuns: 150 },
      );
    },
  );
});

describe('profile merge in any order and grouping (property)', () => {
  it('computes the same exact fields and sketch ranks within the stated error for any merge tree', async () => {
    const partsArb = fc.array(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { maxLength: 400 }), {
      minLength: 2,
      maxLength: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        partsArb,
        fc.array(fc.nat(), { minLength: 10, maxLength: 10 }),
        async (parts, picks) => {
          // Given profiles of several parts of one dataset
          const profileOf = (xs: number[]) => {
            const b = new ProfileBuilder(schema);
            for (const x of xs) b.addRecord({ x, c: x > 0 ? 'pos' : 'neg' }, [x / 100], undefined);
            return b.toState({ lines: xs.length, accepted: xs.length, rejected: 0 });
          };
          const all = parts.flat();
          // When they are merged left to right, and in a random tree (pick any two, merge, put back)
          const leftToRight = parts.map(profileOf).reduce((a, b) => mergeDatasetProfiles(a, b));
          const pool = parts.map(profileOf);
          for (let i = 0; pool.length > 1; i += 1) {
            const a = pool.splice((picks[i % picks.length] ?? 0) % pool.length, 1)[0] as DatasetProfileState;
            const b = pool.splice(
              (picks[(i + 1) % picks.length] ?? 0) % pool.length,
              1,
            )[0] as DatasetProfileState;
            pool.push(i % 2 === 0 ? mergeDatasetProfiles(a, b) : mergeDatasetProfiles(b, a));
          }
          const tree = pool[0] as DatasetProfileState;
          // Then the exact fields agree, and both sketches are within the rank error bound of the exact ranks
          expect(exactPart(tree)).toEqual(exactPart(leftToRight));
          if (all.length === 0) return;
          const sorted = [...all].sort((p, q) => p - q);
          const bound = KllSketch.rankErrorBound(SKETCH_K);
          for (const merged of [leftToRight, tree]) {
            const sketch = KllSketch.fromJSON(merged.features[0]?.numeric?.sketch);
            for (const q of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
              const x = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
              const exact = sorted.filter((v) => v <= x).length / sorted.length;
              expect(Math.abs(sketch.rank(x) - exact)).toBeLessThanOrEqual(bound);
            }
          }
        },
      ),
      { seed: 20_261_210, numRuns: 100 },
    );
  });
});
