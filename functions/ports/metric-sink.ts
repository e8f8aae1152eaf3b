/** CloudWatch units the functions publish in (CloudWatch's own names). */
export type MetricUnitName = 'Count' | 'Milliseconds' | 'Seconds' | 'None';

/** One metric value with its namespace and dimensions. */
export interface MetricDatum {
  namespace: string;
  name: string;
  unit: MetricUnitName;
  value: number;
  /** Dimension name -> value; the exact set the alarms and dashboards select on. */
  dimensions: Readonly<Record<string, string>>;
  /** When the value applies. @default the time it is published */
  timestamp?: Date;
}

/** Where metrics go (CloudWatch through EMF in Lambda). */
export interface MetricSink {
  /** Buffers one value; non-finite values are dropped, since CloudWatch cannot store them. */
  add(metric: MetricDatum): void;
  /** Publishes every buffered value and empties the buffer. */
  flush(): void;
}
