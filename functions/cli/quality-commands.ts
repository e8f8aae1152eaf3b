import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseCaptureStream } from '../core/capture/parse-capture.js';
import { type CaptureParseOptions, describeRejection, type RawValue } from '../core/capture/types.js';
import { parseMonitorConfigText } from '../core/config/parse.js';
import { findEndpoint } from '../core/config/resolve.js';
import {
  type GateConfig,
  GateConfigSchema,
  type GroundTruthConfig,
  type ModelQualityConfig,
  type ProblemType,
} from '../core/config/schema.js';
import { endpointMonitorSettings } from '../core/monitor-settings.js';
import { type AbResult, compareVariants } from '../core/quality/ab-test.js';
import { type CbpeEstimate, calibrateCbpeFromPairs, estimatePerformance } from '../core/quality/cbpe.js';
import {
  type ModelQualityConstraintsFile,
  parseModelQualityConstraints,
  suggestModelQualityConstraints,
  toModelQualityViolationsFile,
} from '../core/quality/constraints.js';
import { buildEvaluationSet, type EvaluationPair } from '../core/quality/dataset.js';
import { QualityInputError } from '../core/quality/errors.js';
import {
  evaluateJoined,
  finishEvaluation,
  type ModelQualityResult,
  type ModelQualitySettings,
  qualitySettingsFromConfig,
} from '../core/quality/evaluate.js';
import { evaluateGate, type GateModel, type GateResult, type GateVerdict } from '../core/quality/gate.js';
import {
  collectionHourFromKey,
  type GroundTruthLabel,
  parseGroundTruthStream,
} from '../core/quality/ground-truth.js';
import { type JoinSummary, joinGroundTruth } from '../core/quality/join.js';
import {
  type PredictionAttributes,
  PredictionCollector,
  type UnusableCapture,
} from '../core/quality/predictions.js';
import {
  renderAbText,
  renderEstimateText,
  renderGateJunit,
  renderGateMarkdown,
  renderGateText,
  renderQualityText,
} from '../core/quality/render.js';
import { readMetricValues } from '../core/quality/statistics.js';
import { InputError } from '../errors.js';
import type { CommandResult } from './commands.js';
import { displayPath, expandInputs, openInput, readCsvRows, readJsonFile } from './input-files.js';

/** Exit codes of `driftwatch quality`, `ab` and `estimate`. */
export const QUALITY_EXIT = {
  /** No model-quality constraint violated (or none checked). */
  ok: 0,
  /** At least one model-quality constraint violated. */
  violations: 1,
  /** Usage or input error. */
  error: 2,
} as const;

/** Exit codes of `driftwatch gate`, one per verdict (2 stays the usage/input error). */
export const GATE_EXIT: Readonly<Record<GateVerdict, number>> = { PROMOTE: 0, REJECT: 1, INCONCLUSIVE: 3 };

/** Settings shared by the quality commands: the prediction and label mapping. */
export interface QualityInputOptions {
  config?: string;
  endpoint?: string;
  problemType?: ProblemType;
  /** Output (captures) or column (CSV) with the predicted label or value. */
  inferenceAttribute?: string;
  /** Output (captures) or column (CSV) with the predicted probability. */
  probabilityAttribute?: string;
  probabilityThreshold?: number;
  /** CSV column with the label. @default 'label' */
  groundTruthAttribute?: string;
  /** JSON path of the label inside JSON ground-truth data. */
  labelAttribute?: string;
  lookbackHours?: number;
}

/** What a monitor configuration contributes to a quality command. */
interface QualityConfig {
  capture: CaptureParseOptions;
  modelQuality?: ModelQualityConfig;
  groundTruth?: GroundTruthConfig;
  gate?: GateConfig;
}

async function loadQualityConfig(
  path: string | undefined,
  endpoint: string | undefined,
): Promise<QualityConfig> {
  if (path === undefined) {
    if (endpoint !== undefined) throw new InputError('--endpoint needs --config');
    return { capture: {} };
  }
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { cause: err });
  });
  const config = parseMonitorConfigText(text, path);
  const settings = endpointMonitorSettings(config, endpoint);
  const found = findEndpoint(config, settings.endpointName);
  const result: QualityConfig = { capture: settings.capture };
  if (found.modelQuality !== undefined) result.modelQuality = found.modelQuality;
  if (found.groundTruth !== undefined) result.groundTruth = found.groundTruth;
  if (found.gate !== undefined) result.gate = found.gate;
  return result;
}

/** The effective settings: command-line options over the configuration's modelQuality and groundTruth. */
function resolveQuality(o: QualityInputOptions, config: QualityConfig, what: string) {
  const fromConfig = config.modelQuality
    ? qualitySettingsFromConfig(config.modelQuality, config.groundTruth)
    : undefined;
  const problemType = o.problemType ?? fromConfig?.settings.problemType;
  if (problemType === undefined) {
    throw new InputError(`${what} needs --problem-type (or --config with a modelQuality section)`);
  }
  const settings: ModelQualitySettings = { ...fromConfig?.settings, problemType };
  if (o.probabilityThreshold !== undefined) settings.probabilityThreshold = o.probabilityThreshold;
  if (o.lookbackHours !== undefined) settings.lookbackHours = o.lookbackHours;
  const attributes: PredictionAttributes = { ...fromConfig?.attributes };
  if (o.inferenceAttribute !== undefined) attributes.inferenceAttribute = o.inferenceAttribute;
  if (o.probabilityAttribute !== undefined) attributes.probabilityAttribute = o.probabilityAttribute;
  if (config.capture.output !== undefined) attributes.output = config.capture.output;
  const labelAttribute = o.labelAttribute ?? fromConfig?.labelAttribute;
  return { settings, attributes, labelAttribute };
}

/** Reads ground-truth JSONL files (directories recursively), each labelled with the hour of its partition. */
async function readGroundTruth(
  paths: readonly string[],
  labelAttribute: string | undefined,
): Promise<{ labels: GroundTruthLabel[]; files: number; rejections: string[]; rejected: number }> {
  const files = (await expandInputs(paths)).filter((f) => f.kind === 'capture');
  if (files.length === 0) throw new InputError(`no ground-truth .jsonl files in ${paths.join(', ')}`);
  const labels: GroundTruthLabel[] = [];
  const rejections: string[] = [];
  let rejected = 0;
  for (const file of files) {
    const name = displayPath(file.path);
    const collectedAt = collectionHourFromKey(file.path);
    const summary = await parseGroundTruthStream(
      (await openInput(file.path)) as AsyncIterable<Uint8Array>,
      (label) => labels.push(label),
      {
        source: name,
        ...(collectedAt !== undefined ? { collectedAt } : {}),
        ...(labelAttribute !== undefined ? { labelAttribute } : {}),
      },
    );
    rejected += summary.rejected;
    for (const r of summary.rejections.slice(0, 20)) {
      rejections.push(describeRejection(name, r));
    }
  }
  return { labels, files: files.length, rejections, rejected };
}

/** Reads captured predictions from capture files and directories. */
async function readCaptures(
  paths: readonly string[],
  attributes: PredictionAttributes,
  capture: CaptureParseOptions,
): Promise<{ collector: PredictionCollector; rejections: string[]; rejected: number; files: number }> {
  const files = (await expandInputs(paths)).filter((f) => f.kind === 'capture');
  if (files.length === 0) throw new InputError(`no capture .jsonl files in ${paths.join(', ')}`);
  const collector = new PredictionCollector(attributes);
  const rejections: string[] = [];
  let rejected = 0;
  for (const file of files) {
    const name = displayPath(file.path);
    collector.setSource(name);
    const summary = await parseCaptureStream(
      (await openInput(file.path)) as AsyncIterable<Uint8Array>,
      collector,
      capture,
    );
    rejected += summary.rejected;
    for (const r of summary.rejections.slice(0, 20)) {
      rejections.push(describeRejection(name, r));
    }
  }
  return { collector, rejections, rejected, files: files.length };
}

/** A labelled predictions CSV as pairs (columns named by the attributes, Model Monitor's baseline convention). */
async function readPredictionCsv(
  path: string,
  columns: { prediction: string; probability?: string; label?: string; id?: string },
): Promise<{ pairs: EvaluationPair[]; ids: string[]; rejections: string[]; hasLabel: boolean }> {
  const pairs: EvaluationPair[] = [];
  const ids: string[] = [];
  const rejections: string[] = [];
  let header: string[] | undefined;
  for await (const row of readCsvRows(path, { header: true }, (r) =>
    rejections.push(`${displayPath(path)}:${r.line}: ${r.reason}`),
  )) {
    header ??= Object.keys(row.values);
    const pair: EvaluationPair = { prediction: row.values[columns.prediction] ?? null, label: null };
    if (columns.probability !== undefined) pair.probability = row.values[columns.probability] ?? null;
    if (columns.label !== undefined) pair.label = row.values[columns.label] ?? null;
    pairs.push(pair);
    if (columns.id !== undefined) ids.push(String(row.values[columns.id] ?? ''));
  }
  const names = header ?? [];
  const needed = [
    ...(columns.probability === undefined ? [columns.prediction] : [columns.probability]),
    ...(columns.id === undefined ? [] : [columns.id]),
  ];
  for (const column of needed) {
    if (!names.includes(column)) {
      throw new InputError(
        `${displayPath(path)}: no column "${column}" (columns: ${names.join(', ') || 'none'})`,
      );
    }
  }
  return { pairs, ids, rejections, hasLabel: columns.label !== undefined && names.includes(columns.label) };
}

/** Options of `driftwatch quality`. */
export interface QualityCommandOptions extends QualityInputOptions {
  /** Capture files/directories (joined to groundTruth) or labelled predictions CSV files. */
  inputs: readonly string[];
  groundTruth?: readonly string[];
  /** A model-quality constraints.json to check (else the configuration's modelQuality.thresholds). */
  constraints?: string;
  /** Also write constraints.json suggested from these metrics (a baseline run). */
  suggestConstraints?: boolean;
  minSamples?: number;
  format: 'text' | 'json';
  out?: string;
  /** Written as dataset.evaluation_time. @default now */
  evaluationTime?: string;
}

/** The JSON report of `driftwatch quality`. */
export interface QualityReport extends Omit<ModelQualityResult, 'statistics'> {
  inputs: { captures: number; groundTruthFiles: number; csv: number };
  rejectedRecords: number;
  rejections: string[];
  unusableCaptures: UnusableCapture[];
  violations: ModelQualityResult['check']['violations'];
  statistics: ModelQualityResult['statistics'];
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * `driftwatch quality`: joins captures to ground truth (or reads labelled predictions CSVs), computes Model
 * Monitor's model-quality statistics and checks the constraints; exit 1 on violations.
 */
export async function qualityCommand(
  o: QualityCommandOptions,
): Promise<CommandResult & { report: QualityReport }> {
  const config = await loadQualityConfig(o.config, o.endpoint);
  const { settings, attributes, labelAttribute } = resolveQuality(o, config, 'quality');
  if (o.minSamples !== undefined) settings.minSamples = o.minSamples;
  if (o.constraints !== undefined) {
    settings.constraints = parseModelQualityConstraints(await readJsonFile(o.constraints), o.constraints);
  }
  settings.statistics = { evaluationTime: o.evaluationTime ?? new Date().toISOString() };
  const files = await expandInputs(o.inputs);
  const csvFiles = files.filter((f) => f.kind === 'csv');
  const captureFiles = files.filter((f) => f.kind === 'capture');
  if (csvFiles.length > 0 && captureFiles.length > 0) {
    throw new InputError(
      'give either capture files (with --ground-truth) or labelled predictions CSV files, not both',
    );
  }
  const rejections: string[] = [];
  let rejected = 0;
  let result: ModelQualityResult;
  let unusable: UnusableCapture[] = [];
  let groundTruthFiles = 0;
  if (csvFiles.length > 0) {
    if (o.groundTruth !== undefined)
      throw new InputError('--ground-truth applies to capture files, not CSV files');
    const pairs: EvaluationPair[] = [];
    for (const file of csvFiles) {
      const read = await readPredictionCsv(file.path, {
        prediction: attributes.inferenceAttribute ?? 'prediction',
        label: o.groundTruthAttribute ?? 'label',
        ...(attributes.probabilityAttribute !== undefined
          ? { probability: attributes.probabilityAttribute }
          : {}),
      });
      if (!read.hasLabel) {
        throw new InputError(
          `${displayPath(file.path)}: no label column "${o.groundTruthAttribute ?? 'label'}" (--ground-truth-attribute)`,
        );
      }
      pairs.push(...read.pairs);
      rejections.push(...read.rejections);
      rejected += read.rejections.length;
    }
    const built = buildEvaluationSet(pairs, settings);
    result = finishEvaluation(null, built, settings);
  } else {
    if (o.groundTruth === undefined || o.groundTruth.length === 0) {
      throw new InputError('capture inputs need --ground-truth <dir> with the labels');
    }
    const captures = await readCaptures(o.inputs, attributes, config.capture);
    const truth = await readGroundTruth(o.groundTruth, labelAttribute);
    groundTruthFiles = truth.files;
    rejections.push(...captures.rejections, ...truth.rejections);
    rejected += captures.rejected + truth.rejected;
    unusable = captures.collector.unusable;
    const joined = joinGroundTruth(captures.collector.predictions, truth.labels, {
      lookbackHours: settings.lookbackHours ?? 24,
    });
    if (joined.records.length === 0) {
      throw new QualityInputError(
        `no capture joined to a label: ${joined.summary.captures} captures, ${joined.summary.labels} labels ` +
          `(${joined.summary.orphanedLabels} orphaned, ${joined.summary.outsideLookback} outside the ${settings.lookbackHours ?? 24} h lookback)` +
          (unusable[0]
            ? `; ${unusable.length} captures unusable, e.g. ${unusable[0].source}:${unusable[0].line}: ${unusable[0].reason}`
            : ''),
      );
    }
    result = evaluateJoined(joined, settings);
  }
  const report: QualityReport = {
    inputs: { captures: captureFiles.length, groundTruthFiles, csv: csvFiles.length },
    ...result,
    rejectedRecords: rejected,
    rejections: rejections.slice(0, 100),
    unusableCaptures: unusable.slice(0, 100),
    violations: result.check.violations,
  };
  const written: string[] = [];
  if (o.out !== undefined) {
    const files: [string, unknown][] = [
      ['statistics.json', result.statistics],
      ['constraint_violations.json', toModelQualityViolationsFile(result.check.violations)],
      ['quality-report.json', report],
    ];
    if (o.suggestConstraints) {
      const constraints: ModelQualityConstraintsFile = suggestModelQualityConstraints(
        readMetricValues(result.statistics, 'statistics'),
      );
      files.push(['constraints.json', constraints]);
    }
    for (const [name, value] of files) {
      await writeJson(join(o.out, name), value);
      written.push(join(o.out, name));
    }
  }
  const exitCode = result.check.violations.length > 0 ? QUALITY_EXIT.violations : QUALITY_EXIT.ok;
  const text =
    renderQualityText(result) +
    (rejected > 0
      ? `rejected records: ${rejected}\n${rejections
          .slice(0, 20)
          .map((r) => `  ${r}\n`)
          .join('')}`
      : '') +
    (written.length > 0 ? `wrote ${written.join(', ')}\n` : '');
  return { exitCode, stdout: o.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : text, report };
}

/** Options of `driftwatch gate`. */
export interface GateCommandOptions extends QualityInputOptions {
  /** The challenger: a model-quality statistics.json or a predictions CSV. */
  candidate: string;
  /** The champion, likewise. */
  champion: string;
  /** Labels for predictions CSVs without a label column: a CSV (ground-truth attribute) or ground-truth JSONL. */
  labels?: string;
  /** Column joining predictions to labels (to eventId for ground-truth JSONL); rows are aligned by order without it. */
  idColumn?: string;
  floors?: Record<string, number>;
  maxRegression?: Record<string, number>;
  minImprovement?: Record<string, number>;
  samples?: number;
  seed?: number;
  confidence?: number;
  mcnemarAlpha?: number;
  format: 'text' | 'json' | 'markdown' | 'junit';
  /** Also write the JSON result here. */
  out?: string;
}

async function labelsFor(
  o: GateCommandOptions,
  ids: string[],
  count: number,
  what: string,
): Promise<RawValue[]> {
  if (o.labels === undefined) {
    throw new InputError(`${what} has no label column "${o.groundTruthAttribute ?? 'label'}"; give --labels`);
  }
  if (/\.csv(\.gz)?$/i.test(o.labels)) {
    const column = o.groundTruthAttribute ?? 'label';
    const read = await readPredictionCsv(o.labels, {
      prediction: column,
      label: column,
      ...(o.idColumn !== undefined ? { id: o.idColumn } : {}),
    });
    if (o.idColumn === undefined) {
      if (read.pairs.length !== count) {
        throw new InputError(
          `${o.labels} has ${read.pairs.length} rows but ${what} has ${count}; give --id-column to join them`,
        );
      }
      return read.pairs.map((p) => p.label);
    }
    const byId = new Map(read.ids.map((id, i) => [id, read.pairs[i]?.label ?? null]));
    return ids.map((id) => byId.get(id) ?? null);
  }
  if (o.idColumn === undefined)
    throw new InputError('ground-truth JSONL labels need --id-column (matched to eventId)');
  const truth = await readGroundTruth([o.labels], o.labelAttribute);
  const byId = new Map(truth.labels.map((l) => [l.eventId, l.label]));
  return ids.map((id) => byId.get(id) ?? null);
}

async function gateModel(
  path: string,
  o: GateCommandOptions,
  problemType: ProblemType | undefined,
  threshold: number | undefined,
): Promise<GateModel> {
  if (/\.json$/i.test(path)) {
    return { kind: 'metrics', metrics: readMetricValues(await readJsonFile(path), path), source: path };
  }
  if (!/\.csv(\.gz)?$/i.test(path))
    throw new InputError(`${path}: expected a statistics.json or a predictions .csv`);
  if (problemType === undefined)
    throw new InputError(`${path}: prediction files need --problem-type or --config`);
  const label = o.groundTruthAttribute ?? 'label';
  const read = await readPredictionCsv(path, {
    prediction: o.inferenceAttribute ?? 'prediction',
    label,
    ...(o.probabilityAttribute !== undefined ? { probability: o.probabilityAttribute } : {}),
    ...(o.idColumn !== undefined ? { id: o.idColumn } : {}),
  });
  if (read.rejections.length > 0)
    throw new InputError(`${read.rejections[0]} (every row is needed to pair the models)`);
  if (!read.hasLabel) {
    const labels = await labelsFor(o, read.ids, read.pairs.length, path);
    read.pairs.forEach((p, i) => {
      p.label = labels[i] ?? null;
    });
  }
  const built = buildEvaluationSet(read.pairs, {
    problemType,
    ...(threshold !== undefined ? { probabilityThreshold: threshold } : {}),
  });
  if (built.rejected > 0) {
    const first = built.rejections[0];
    throw new InputError(
      `${path}: ${built.rejected} rows unusable, the first (row ${(first?.index ?? 0) + 1}): ${first?.reason}; every row is needed to pair the models`,
    );
  }
  return { kind: 'predictions', set: built.set, source: path };
}

/** `driftwatch gate`: champion vs challenger; exit 0 PROMOTE, 1 REJECT, 3 INCONCLUSIVE (2: error). */
export async function gateCommand(o: GateCommandOptions): Promise<CommandResult & { result: GateResult }> {
  const config = await loadQualityConfig(o.config, o.endpoint);
  const problemType = o.problemType ?? config.modelQuality?.problemType;
  const threshold = o.probabilityThreshold ?? config.modelQuality?.probabilityThreshold;
  const base = config.gate;
  const rules = GateConfigSchema.safeParse({
    floors: { ...base?.floors, ...o.floors },
    maxRegression: { ...base?.maxRegression, ...o.maxRegression },
    minImprovement: { ...base?.minImprovement, ...o.minImprovement },
    bootstrap: {
      ...base?.bootstrap,
      ...(o.samples !== undefined ? { samples: o.samples } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.confidence !== undefined ? { confidence: o.confidence } : {}),
    },
    mcnemarAlpha: o.mcnemarAlpha ?? base?.mcnemarAlpha,
  });
  if (!rules.success) {
    const issue = rules.error.issues[0];
    throw new InputError(`gate rules: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  // Prediction files name their columns like the configuration names the outputs; flags override it.
  const inferenceAttribute = o.inferenceAttribute ?? config.modelQuality?.inferenceAttribute;
  const probabilityAttribute = o.probabilityAttribute ?? config.modelQuality?.probabilityAttribute;
  const columns: GateCommandOptions = {
    ...o,
    ...(inferenceAttribute !== undefined ? { inferenceAttribute } : {}),
    ...(probabilityAttribute !== undefined ? { probabilityAttribute } : {}),
  };
  const champion = await gateModel(o.champion, columns, problemType, threshold);
  const challenger = await gateModel(o.candidate, columns, problemType, threshold);
  const result = evaluateGate(champion, challenger, rules.data, problemType);
  if (o.out !== undefined) await writeJson(o.out, result);
  const render = {
    text: renderGateText,
    markdown: renderGateMarkdown,
    junit: renderGateJunit,
    json: (r: GateResult) => `${JSON.stringify(r, null, 2)}\n`,
  };
  return { exitCode: GATE_EXIT[result.verdict], stdout: render[o.format](result), result };
}

/** Options of `driftwatch ab`. */
export interface AbCommandOptions extends QualityInputOptions {
  /** Capture files/directories of the two variants. */
  variants: readonly [string, string];
  names?: readonly [string, string];
  groundTruth: readonly string[];
  minDetectableEffect?: number;
  alpha?: number;
  power?: number;
  metrics?: readonly string[];
  samples?: number;
  seed?: number;
  confidence?: number;
  format: 'text' | 'json';
}

/** `driftwatch ab`: compares two production variants' model quality; exit 0 (2: error). */
export async function abCommand(
  o: AbCommandOptions,
): Promise<CommandResult & { result: AbResult & { joins: JoinSummary[] } }> {
  const config = await loadQualityConfig(o.config, o.endpoint);
  const { settings, attributes, labelAttribute } = resolveQuality(o, config, 'ab');
  const truth = await readGroundTruth(o.groundTruth, labelAttribute);
  const joins: JoinSummary[] = [];
  const sets = [];
  for (const path of o.variants) {
    const captures = await readCaptures([path], attributes, config.capture);
    const joined = joinGroundTruth(captures.collector.predictions, truth.labels, {
      lookbackHours: settings.lookbackHours ?? 24,
    });
    joins.push(joined.summary);
    if (joined.records.length === 0) throw new QualityInputError(`${path}: no capture joined to a label`);
    sets.push(buildEvaluationSet(joined.records, settings).set);
  }
  const [nameA, nameB] = o.names ?? [basename(o.variants[0]), basename(o.variants[1])];
  const result = compareVariants(
    { name: nameA, set: sets[0] as (typeof sets)[0] },
    { name: nameB, set: sets[1] as (typeof sets)[0] },
    {
      ...(o.minDetectableEffect !== undefined ? { minDetectableEffect: o.minDetectableEffect } : {}),
      ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
      ...(o.power !== undefined ? { power: o.power } : {}),
      ...(o.metrics !== undefined ? { metrics: o.metrics } : {}),
      bootstrap: {
        ...(o.samples !== undefined ? { samples: o.samples } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        ...(o.confidence !== undefined ? { confidence: o.confidence } : {}),
      },
    },
  );
  const full = { ...result, joins };
  const joinLines = joins
    .map((j, i) => `join ${i === 0 ? nameA : nameB}: ${j.matched} of ${j.captures} captures matched\n`)
    .join('');
  return {
    exitCode: QUALITY_EXIT.ok,
    stdout: o.format === 'json' ? `${JSON.stringify(full, null, 2)}\n` : renderAbText(result) + joinLines,
    result: full,
  };
}

/** Options of `driftwatch estimate`. */
export interface EstimateCommandOptions extends QualityInputOptions {
  /** Labelled baseline predictions CSV (probability and label columns). */
  calibration: string;
  /** Windows: each path (capture file/directory or predictions CSV) is one window. */
  windows: readonly string[];
  format: 'text' | 'json';
}

/** `driftwatch estimate`: CBPE estimates of accuracy, precision, recall, F1 and AUC without labels; exit 0. */
export async function estimateCommand(
  o: EstimateCommandOptions,
): Promise<CommandResult & { windows: { name: string; estimate: CbpeEstimate }[] }> {
  const config = await loadQualityConfig(o.config, o.endpoint);
  const threshold = o.probabilityThreshold ?? config.modelQuality?.probabilityThreshold ?? 0.5;
  const csvProbability = o.probabilityAttribute ?? config.modelQuality?.probabilityAttribute ?? 'probability';
  const baseline = await readPredictionCsv(o.calibration, {
    prediction: csvProbability,
    probability: csvProbability,
    label: o.groundTruthAttribute ?? 'label',
  });
  if (!baseline.hasLabel)
    throw new InputError(`${o.calibration}: no label column "${o.groundTruthAttribute ?? 'label'}"`);
  const calibration = calibrateCbpeFromPairs(baseline.pairs, threshold);
  const windows: { name: string; estimate: CbpeEstimate }[] = [];
  for (const path of o.windows) {
    let scores: number[];
    if (/\.csv(\.gz)?$/i.test(path)) {
      const read = await readPredictionCsv(path, { prediction: csvProbability, probability: csvProbability });
      scores = read.pairs.map((p) => Number(p.probability));
    } else {
      const attribute = o.probabilityAttribute ?? config.modelQuality?.probabilityAttribute;
      const captures = await readCaptures(
        [path],
        {
          ...(attribute !== undefined ? { inferenceAttribute: attribute } : {}),
          ...(config.capture.output !== undefined ? { output: config.capture.output } : {}),
        },
        config.capture,
      );
      scores = captures.collector.predictions.map((p) => Number(p.prediction));
    }
    const usable = scores.filter((s) => s >= 0 && s <= 1);
    if (usable.length === 0) throw new InputError(`${path}: no probabilities in [0, 1] to estimate from`);
    windows.push({ name: displayPath(path), estimate: estimatePerformance(calibration, usable) });
  }
  const json = {
    calibration: { method: calibration.method, threshold, baseline: calibration.baseline },
    windows,
  };
  return {
    exitCode: QUALITY_EXIT.ok,
    stdout: o.format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : renderEstimateText(windows),
    windows,
  };
}
