import { expect, type MockInstance, vi } from 'vitest';

/** One metric value read back from an EMF document on stdout. */
export interface EmittedMetric {
  namespace: string;
  name: string;
  unit: string;
  value: number | number[];
  /** Dimension name -> value, exactly the dimension set the document declares. */
  dimensions: Record<string, string>;
  /** Every dimension set the document declares (EMF allows several). */
  dimensionSets: string[][];
  timestamp: number;
}

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/**
 * Captures what is written to stdout (where Powertools writes EMF) and parses the EMF documents back into
 * metrics. Powertools' warnings and log lines that are not EMF are ignored.
 */
export function captureEmf(): { metrics(): EmittedMetric[]; clear(): void; restore(): void } {
  let written = '';
  const spy: MockInstance = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  });
  return {
    metrics: () => {
      const out: EmittedMetric[] = [];
      for (const line of written.split('\n')) {
        if (!line.startsWith('{') || !line.includes('"_aws"')) continue;
        const doc = JSON.parse(line) as EmfDocument;
        for (const directive of doc._aws.CloudWatchMetrics) {
          const names = directive.Dimensions[0] ?? [];
          const dimensions = Object.fromEntries(names.map((n) => [n, String(doc[n])]));
          for (const m of directive.Metrics) {
            out.push({
              namespace: directive.Namespace,
              name: m.Name,
              unit: m.Unit,
              value: doc[m.Name] as number | number[],
              dimensions,
              dimensionSets: directive.Dimensions,
              timestamp: doc._aws.Timestamp,
            });
          }
        }
      }
      return out;
    },
    clear: () => {
      written = '';
    },
    restore: () => spy.mockRestore(),
  };
}

/** The metrics named `name` whose dimensions are exactly `dimensions`. */
export function findMetrics(
  metrics: readonly EmittedMetric[],
  name: string,
  dimensions: Record<string, string>,
): EmittedMetric[] {
  const want = JSON.stringify(Object.entries(dimensions).sort());
  return metrics.filter(
    (m) => m.name === name && JSON.stringify(Object.entries(m.dimensions).sort()) === want,
  );
}

/** The one metric of `namespace` named `name` with exactly `dimensions`; the test fails unless there is exactly one. */
export function onlyMetric(
  metrics: readonly EmittedMetric[],
  namespace: string,
  name: string,
  dimensions: Record<string, string>,
): EmittedMetric {
  const found = findMetrics(metrics, name, dimensions).filter((m) => m.namespace === namespace);
  expect(found, `${namespace} ${name} ${JSON.stringify(dimensions)}`).toHaveLength(1);
  return found[0] as EmittedMetric;
}
