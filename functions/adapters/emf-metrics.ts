import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import type { MetricDatum, MetricSink, MetricUnitName } from '../ports/metric-sink.js';

const UNITS: Record<MetricUnitName, (typeof MetricUnit)[keyof typeof MetricUnit]> = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  Seconds: MetricUnit.Seconds,
  None: MetricUnit.NoUnit,
};

/** EMF allows 100 metrics per document; Powertools flushes on its own past that, dropping our dimensions. */
const MAX_METRICS_PER_DOCUMENT = 100;

interface Group {
  namespace: string;
  dimensions: Readonly<Record<string, string>>;
  timestamp: Date | undefined;
  metrics: MetricDatum[];
}

/** Called when a group of metrics could not be published (e.g. a metric name longer than CloudWatch allows). */
export type MetricErrorHandler = (error: unknown, metricNames: readonly string[]) => void;

/**
 * {@link MetricSink} writing CloudWatch Embedded Metric Format through Powertools Metrics, one Metrics instance
 * per namespace. Values sharing namespace, dimensions and timestamp go out as one EMF document (at most 100
 * metrics each), with exactly that one dimension set, so every metric is stored under the dimensions the
 * alarms select on. The instances' default dimensions are cleared: Powertools adds a `service` dimension,
 * which would put every metric under a dimension set no alarm asks for.
 */
export class EmfMetricSink implements MetricSink {
  private buffer: MetricDatum[] = [];

  /**
   * @param metricsByNamespace the Powertools Metrics instance of each namespace published to
   * @param onError told about a group that could not be published; publishing then goes on with the next group
   */
  constructor(
    private readonly metricsByNamespace: Readonly<Record<string, Metrics>>,
    private readonly onError: MetricErrorHandler = () => {},
  ) {
    for (const metrics of Object.values(metricsByNamespace)) metrics.clearDefaultDimensions();
  }

  add(metric: MetricDatum): void {
    if (!this.metricsByNamespace[metric.namespace]) {
      throw new RangeError(
        `no Metrics instance for namespace "${metric.namespace}"; expected one of ${Object.keys(this.metricsByNamespace).join(', ')}`,
      );
    }
    if (Number.isFinite(metric.value)) this.buffer.push(metric);
  }

  flush(): void {
    const groups = new Map<string, Group>();
    for (const metric of this.buffer) {
      const key = JSON.stringify([
        metric.namespace,
        metric.timestamp?.getTime() ?? null,
        Object.entries(metric.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ]);
      let group = groups.get(key);
      if (!group) {
        group = {
          namespace: metric.namespace,
          dimensions: metric.dimensions,
          timestamp: metric.timestamp,
          metrics: [],
        };
        groups.set(key, group);
      }
      group.metrics.push(metric);
    }
    this.buffer = [];
    for (const group of groups.values()) {
      for (let i = 0; i < group.metrics.length; i += MAX_METRICS_PER_DOCUMENT) {
        this.publish(group, group.metrics.slice(i, i + MAX_METRICS_PER_DOCUMENT));
      }
    }
  }

  private publish(group: Group, metrics: readonly MetricDatum[]): void {
    const target = this.metricsByNamespace[group.namespace];
    if (!target) return;
    try {
      for (const [name, value] of Object.entries(group.dimensions)) target.addDimension(name, value);
      if (group.timestamp) target.setTimestamp(group.timestamp);
      for (const m of metrics) target.addMetric(m.name, UNITS[m.unit], m.value);
      target.publishStoredMetrics();
    } catch (err) {
      target.clearMetrics();
      target.clearDimensions();
      this.onError(
        err,
        metrics.map((m) => m.name),
      );
    }
  }
}

/** Options of {@link createEmfMetricSink}. */
export interface EmfMetricSinkOptions {
  /** Namespaces the sink publishes to. */
  namespaces: readonly string[];
  /** Powertools' own warnings (e.g. a timestamp CloudWatch will not accept) go here. @default the console */
  logger?: MetricsOptions['logger'];
  onError?: MetricErrorHandler;
}

/** An {@link EmfMetricSink} with a new Powertools Metrics instance per namespace. */
export function createEmfMetricSink(options: EmfMetricSinkOptions): EmfMetricSink {
  const byNamespace: Record<string, Metrics> = {};
  for (const namespace of options.namespaces) {
    byNamespace[namespace] = new Metrics({
      namespace,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }
  return new EmfMetricSink(byNamespace, options.onError);
}
