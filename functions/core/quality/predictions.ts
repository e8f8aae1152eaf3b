import { outputColumnNames, parseIsoInstant } from '../capture/parse-capture.js';
import type { CaptureRow, CaptureSink, OutputMapping, RawValue, RecordMeta } from '../capture/types.js';

/** Which model outputs are the prediction and the probability (Model Monitor's job parameters). */
export interface PredictionAttributes {
  /**
   * Output holding the predicted label or value: an output name (see the capture parser's output names), or a
   * 0-based column index such as "0" as Model Monitor's `inference_attribute` takes for CSV output.
   * @default - the first output
   */
  inferenceAttribute?: string;
  /**
   * Output holding the predicted probability of the positive class (binary classification), by name or index.
   * @default - none: the inference attribute is the label
   */
  probabilityAttribute?: string;
  /** The capture parser's output mapping, whose `names` name the outputs. */
  output?: OutputMapping;
}

/** One captured prediction with the ids it is joined by. */
export interface CapturedPrediction {
  /** Join key: `inferenceId` when the record has one, else `eventId`. */
  key: string;
  /** The predicted label or value (the inference attribute). */
  prediction: RawValue;
  /** The probability attribute's value, when one is configured. */
  probability?: RawValue;
  /** `eventMetadata.inferenceTime` as ms since the epoch, when the record has one. */
  inferenceTime?: number;
  /** Where the capture came from, for messages. */
  source?: string;
  /** 1-based capture line. */
  line: number;
}

/** A captured row that cannot be used for model quality (no id, no output, missing attribute). */
export interface UnusableCapture {
  source?: string;
  line: number;
  reason: string;
}

/**
 * A CaptureSink that keeps, for every captured row, its join key and the configured prediction outputs. Rows
 * that cannot be joined or have no such output are kept in `unusable` with the reason (results, not errors).
 * Several rows of one record (a CSV batch) share the record's ids; the join treats such ids as ambiguous.
 */
export class PredictionCollector implements CaptureSink {
  readonly predictions: CapturedPrediction[] = [];
  readonly unusable: UnusableCapture[] = [];
  /** Unusable rows beyond `maxUnusableKept`, only counted. */
  unusableTruncated = 0;
  private source: string | undefined;

  constructor(
    private readonly attributes: PredictionAttributes = {},
    source?: string,
    private readonly maxUnusableKept = 1000,
  ) {
    this.source = source;
  }

  /** Sets the source name recorded on the following rows (one collector can read several files). */
  setSource(source: string | undefined): void {
    this.source = source;
  }

  /** Receives one captured row (CaptureSink). */
  row(row: CaptureRow, meta: RecordMeta): void {
    const key = meta.inferenceId ?? meta.eventId;
    if (key === undefined || key === '') {
      this.fail(meta.line, 'no eventMetadata.inferenceId or eventId to join by');
      return;
    }
    const outputs = row.outputs;
    if (outputs === undefined) {
      this.fail(meta.line, 'no endpointOutput (the prediction is not captured)');
      return;
    }
    const names = outputColumnNames(outputs.length, this.attributes.output);
    const prediction = pick(outputs, names, this.attributes.inferenceAttribute);
    if ('problem' in prediction) {
      this.fail(meta.line, prediction.problem);
      return;
    }
    const entry: CapturedPrediction = { key, prediction: prediction.value, line: meta.line };
    if (this.attributes.probabilityAttribute !== undefined) {
      const probability = pick(outputs, names, this.attributes.probabilityAttribute);
      if ('problem' in probability) {
        this.fail(meta.line, probability.problem);
        return;
      }
      entry.probability = probability.value;
    }
    if (meta.inferenceTime !== undefined) {
      const instant = parseIsoInstant(meta.inferenceTime);
      if (!Number.isNaN(instant)) entry.inferenceTime = instant;
    }
    if (this.source !== undefined) entry.source = this.source;
    this.predictions.push(entry);
  }

  private fail(line: number, reason: string): void {
    if (this.unusable.length >= this.maxUnusableKept) {
      this.unusableTruncated++;
      return;
    }
    this.unusable.push(this.source === undefined ? { line, reason } : { source: this.source, line, reason });
  }
}

/** The output named `attribute` (by name first, then as a 0-based index; the first output when unset). */
function pick(
  outputs: readonly RawValue[],
  names: readonly string[],
  attribute: string | undefined,
): { value: RawValue } | { problem: string } {
  if (attribute === undefined) return { value: outputs[0] ?? null };
  const byName = names.indexOf(attribute);
  if (byName >= 0) return { value: outputs[byName] ?? null };
  if (/^(0|[1-9]\d*)$/.test(attribute) && Number(attribute) < outputs.length) {
    return { value: outputs[Number(attribute)] ?? null };
  }
  return { problem: `no output "${attribute}" (outputs: ${names.join(', ')})` };
}
