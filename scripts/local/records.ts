// SageMaker's record shapes as the demo and the tests write them: data capture of a text/csv endpoint, and the
// ground-truth records Model Monitor merges with it (key order as SageMaker writes them).

/** One captured invocation of a text/csv endpoint. */
export interface CsvCapture {
  /** The request's CSV row; without it the record has no endpointInput. */
  input?: string;
  /** The response's CSV; without it the record has no endpointOutput. */
  output?: string;
  /** @default 'text/csv' */
  outputContentType?: string;
  eventId: string;
  inferenceTime: string;
}

/** The data-capture record of `capture`. */
export function csvCaptureRecord(capture: CsvCapture): Record<string, unknown> {
  const side = (mode: 'INPUT' | 'OUTPUT', observedContentType: string, data: string) => ({
    observedContentType,
    mode,
    data,
    encoding: 'CSV',
  });
  return {
    captureData: {
      ...(capture.input === undefined ? {} : { endpointInput: side('INPUT', 'text/csv', capture.input) }),
      ...(capture.output === undefined
        ? {}
        : { endpointOutput: side('OUTPUT', capture.outputContentType ?? 'text/csv', capture.output) }),
    },
    eventMetadata: { eventId: capture.eventId, inferenceTime: capture.inferenceTime },
    eventVersion: '0',
  };
}

/** The data-capture record of `capture` as one JSON line (no newline). */
export function csvCaptureLine(capture: CsvCapture): string {
  return JSON.stringify(csvCaptureRecord(capture));
}

/** A ground-truth record labelling the captured invocation `eventId` with `label` (CSV), as one JSON line. */
export function groundTruthLine(eventId: string, label: string): string {
  return JSON.stringify({
    groundTruthData: { data: label, encoding: 'CSV' },
    eventMetadata: { eventId },
    eventVersion: '0',
  });
}
