import { parseMonitorConfig } from '../../../functions/core/config/parse.js';
import type { MonitorConfig, MonitorConfigInput } from '../../../functions/core/config/schema.js';
import type { Clock } from '../../../functions/ports/clock.js';
import type { LogSink } from '../../../functions/ports/log-sink.js';
import type { MetricDatum, MetricSink } from '../../../functions/ports/metric-sink.js';

/** A clock that returns `start`, then `start + stepMs`, ... on successive calls. */
export function steppingClock(start: Date, stepMs = 0): Clock & { calls: number } {
  const clock = {
    calls: 0,
    now: () => new Date(start.getTime() + stepMs * clock.calls++),
  };
  return clock;
}

/** One log line written through the LogSink port. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown> | undefined;
}

/** A LogSink that keeps every line. */
export function recordingLog(): LogSink & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (message: string, attributes?: Record<string, unknown>): void => {
      entries.push({ level, message, attributes });
    };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') };
}

/** A MetricSink that keeps what was flushed (and how many flushes happened). */
export function recordingMetrics(): MetricSink & {
  flushed: MetricDatum[];
  pending: MetricDatum[];
  flushes: number;
} {
  const sink = {
    flushed: [] as MetricDatum[],
    pending: [] as MetricDatum[],
    flushes: 0,
    add: (m: MetricDatum) => {
      if (Number.isFinite(m.value)) sink.pending.push(m);
    },
    flush: () => {
      sink.flushed.push(...sink.pending);
      sink.pending = [];
      sink.flushes += 1;
    },
  };
  return sink;
}

/** The values of the flushed metrics named `name` whose dimensions are exactly `dimensions`. */
export function valuesOf(
  metrics: readonly MetricDatum[],
  name: string,
  dimensions: Record<string, string>,
): number[] {
  const want = JSON.stringify(Object.entries(dimensions).sort());
  return metrics
    .filter((m) => m.name === name && JSON.stringify(Object.entries(m.dimensions).sort()) === want)
    .map((m) => m.value);
}

/** A validated configuration with one endpoint `churn` capturing to s3://capture/datacapture. */
export function oneEndpointConfig(
  endpoint: Partial<MonitorConfigInput['endpoints'][number]> = {},
): MonitorConfig {
  return parseMonitorConfig({
    version: 1,
    endpoints: [
      {
        name: 'churn',
        capture: { s3Uri: 's3://capture/datacapture' },
        baseline: { s3Uri: 's3://baselines/churn/' },
        ...endpoint,
      },
    ],
  });
}
