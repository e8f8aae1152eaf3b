import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { type BaselineRow, buildBaseline } from '../core/baseline/build.js';
import { baselineProfileSchema } from '../core/baseline/schema.js';
import { type CaptureParseOptions, describeRejection } from '../core/capture/types.js';
import type { DriftSettings } from '../core/drift/compare.js';
import type { AutoRuleSettings } from '../core/drift/methods.js';
import { profileToStatistics } from '../core/model-monitor/statistics.js';
import type { ConstraintsFile } from '../core/model-monitor/types.js';
import { toViolationsFile } from '../core/model-monitor/violations.js';
import {
  buildDriftReport,
  type DriftReport,
  parseDriftReport,
  type ReportRejection,
} from '../core/report/drift-report.js';
import { renderHtml } from '../core/report/html.js';
import { renderJunit } from '../core/report/junit.js';
import { renderMarkdown } from '../core/report/markdown.js';
import { renderText } from '../core/report/text.js';
import { type FailOn, failsOn } from '../core/report/verdict.js';
import { InputError } from '../errors.js';
import {
  BASELINE_FILES,
  type LoadedBaseline,
  loadBaseline,
  saveBaseline,
  writeJson,
} from './baseline-store.js';
import { displayPath, readCsvRows, readJsonFile } from './input-files.js';
import { type ProgressSink, profileInputs } from './inputs.js';

/** Exit codes a pipeline can branch on. */
export const EXIT = {
  /** Nothing found that `--fail-on` fails on (with the default: no drift and no violations). */
  ok: 0,
  /** What `--fail-on` fails on was found (with the default: drift or constraint violations). */
  drift: 1,
  /** Usage or input error. */
  error: 2,
} as const;

/** What a command produced: its exit code and what to print on stdout. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
}

/** Options of `driftwatch baseline`. */
export interface BaselineCommandOptions {
  input: string;
  out: string;
  target?: string;
  categorical?: readonly string[];
  prediction?: string;
  header?: boolean | 'auto';
  categoricalTopK?: number;
}

/** `driftwatch baseline`: profiles a training CSV and writes baseline.json, statistics.json and constraints.json. */
export async function baselineCommand(o: BaselineCommandOptions): Promise<CommandResult> {
  const rejections: ReportRejection[] = [];
  let lines = 0;
  const rows = async function* (): AsyncGenerator<BaselineRow> {
    rejections.length = 0;
    lines = 0;
    for await (const row of readCsvRows(o.input, { header: o.header ?? 'auto' }, (r) => {
      lines += 1;
      rejections.push({ file: displayPath(o.input), ...r });
    })) {
      lines += 1;
      yield row.values;
    }
  };
  const built = await buildBaseline(rows, {
    source: displayPath(o.input),
    ...(o.target ? { exclude: [o.target] } : {}),
    ...(o.categorical ? { categorical: o.categorical } : {}),
    ...(o.prediction ? { predictionColumn: o.prediction } : {}),
    ...(o.categoricalTopK ? { categoricalTopK: o.categoricalTopK } : {}),
  });
  built.profile.records = { lines, accepted: lines - rejections.length, rejected: rejections.length };
  if (built.profile.rows === 0) throw new InputError(`${o.input}: no data rows`);
  await saveBaseline(o.out, built);
  const summary = [
    `baseline: ${built.profile.rows} rows, ${built.features.length} features (${built.features.map((f) => `${f.name}:${f.inferredType}`).join(', ')})`,
    `rejected rows: ${rejections.length}`,
    ...rejections.slice(0, 20).map((r) => `  ${r.file}:${r.line}: ${r.reason}`),
    `wrote ${[BASELINE_FILES.baseline, BASELINE_FILES.statistics, BASELINE_FILES.constraints].map((f) => join(o.out, f)).join(', ')}`,
  ];
  return { exitCode: EXIT.ok, stdout: `${summary.join('\n')}\n` };
}

/** Settings the drift and profile commands share. */
export interface DriftCommandSettings {
  capture?: CaptureParseOptions;
  settingsFor?: (name: string, kind: 'numeric' | 'categorical', isOutput: boolean) => DriftSettings;
  auto?: AutoRuleSettings;
  categoricalTopK?: number;
  sketchK?: number;
  /** Columns left out of drift and data-quality checks. */
  exclude?: ReadonlySet<string>;
  /** Declared feature types (`features[].type`), applied when the baseline is loaded. */
  featureTypes?: ReadonlyMap<string, 'numeric' | 'categorical'>;
  /** Applies the configuration's data-quality settings to the baseline's constraints. */
  applyConstraints?: (c: ConstraintsFile) => ConstraintsFile;
  progress?: ProgressSink;
}

async function profileAgainst(loaded: LoadedBaseline, inputs: readonly string[], s: DriftCommandSettings) {
  const schema = baselineProfileSchema(loaded.baseline, {
    ...(s.categoricalTopK ? { categoricalTopK: s.categoricalTopK } : {}),
    ...(s.sketchK ? { sketchK: s.sketchK } : {}),
  });
  const capture: CaptureParseOptions = {
    ...s.capture,
    input: { columns: loaded.baseline.features.map((f) => f.name), ...s.capture?.input },
  };
  return profileInputs(inputs, {
    schema,
    capture,
    csvColumns: loaded.baseline.features.map((f) => f.name),
    outputColumns: loaded.baseline.outputs.map((f) => f.sourceColumn ?? f.name),
    ...(s.progress ? { progress: s.progress } : {}),
  });
}

/** `driftwatch profile`: profiles inputs against a baseline and writes the mergeable profile. */
export async function profileCommand(
  o: { inputs: readonly string[]; baseline: string; out: string },
  s: DriftCommandSettings = {},
): Promise<CommandResult> {
  const loaded = await loadBaseline(o.baseline, s.featureTypes ? { types: s.featureTypes } : {});
  const result = await profileAgainst(loaded, o.inputs, s);
  await mkdir(dirname(o.out), { recursive: true });
  await writeFile(o.out, `${JSON.stringify(result.profile)}\n`);
  const r = result.profile.records;
  // The same rejection lines as `driftwatch drift` prints, so a bad line is findable from either command.
  const rejected = result.rejections.map((x) => `  ${describeRejection(x.file, x)}\n`);
  const more = result.rejectionsTruncated > 0 ? [`  ... and ${result.rejectionsTruncated} more\n`] : [];
  return {
    exitCode: EXIT.ok,
    stdout: `profiled ${result.files.length} file(s): ${r.accepted} accepted, ${r.rejected} rejected, ${result.profile.rows} rows -> ${o.out}\n${rejected.length > 0 ? `rejected records:\n${rejected.join('')}` : ''}${more.join('')}`,
  };
}

/** Output formats of `driftwatch drift` and `driftwatch report`. */
export const REPORT_FORMATS = ['text', 'json', 'markdown', 'junit', 'html'] as const;

/** An output format of `driftwatch drift` and `driftwatch report`. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Where a report goes besides stdout. */
export interface ReportOutputOptions {
  format: ReportFormat;
  /** @default 'violations' for `drift`, 'none' for `report` */
  failOn?: FailOn;
  /**
   * A GitHub job-summary file (GITHUB_STEP_SUMMARY): with `--format markdown` the Markdown is appended to it
   * as well. @default none
   */
  stepSummary?: string;
}

let chartJsSource: string | undefined;

/** Chart.js's UMD build, read once from the installed package (its `exports` do not list the file). */
async function chartJs(): Promise<string> {
  if (chartJsSource === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJsSource = await readFile(join(dirname(main), 'chart.umd.js'), 'utf8');
  }
  return chartJsSource;
}

/** Renders a report in one of the output formats. */
export async function renderReport(report: DriftReport, format: ReportFormat): Promise<string> {
  switch (format) {
    case 'text':
      return renderText(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'junit':
      return renderJunit(report, { timestamp: new Date(), hostname: hostname() });
    case 'html':
      return renderHtml(report, { chartJs: await chartJs(), generatedAt: new Date() });
  }
}

async function output(
  report: DriftReport,
  o: ReportOutputOptions,
  defaultFailOn: FailOn,
): Promise<CommandResult & { report: DriftReport }> {
  const stdout = await renderReport(report, o.format);
  if (o.stepSummary && o.format === 'markdown') await appendFile(o.stepSummary, `${stdout}\n`);
  const exitCode = failsOn(report, o.failOn ?? defaultFailOn) ? EXIT.drift : EXIT.ok;
  return { exitCode, stdout, report };
}

/**
 * `driftwatch drift`: compares inputs with a baseline. Exit 1 when `failOn` finds something (default
 * `violations`: drift or any violation), else 0.
 */
export async function driftCommand(
  o: { inputs: readonly string[]; baseline: string; out?: string } & ReportOutputOptions,
  s: DriftCommandSettings = {},
): Promise<CommandResult & { report: DriftReport }> {
  const loaded = await loadBaseline(o.baseline, s.featureTypes ? { types: s.featureTypes } : {});
  const profiled = await profileAgainst(loaded, o.inputs, s);
  const report = buildDriftReport({
    baseline: loaded.baseline,
    constraints: s.applyConstraints ? s.applyConstraints(loaded.constraints) : loaded.constraints,
    current: profiled.profile,
    inputs: profiled.files,
    rejections: profiled.rejections,
    rejectionsTruncated: profiled.rejectionsTruncated,
    compare: {
      ...(s.settingsFor ? { settingsFor: s.settingsFor } : {}),
      ...(s.auto ? { auto: s.auto } : {}),
      ...(s.exclude ? { exclude: s.exclude } : {}),
    },
  });
  if (o.out) {
    await writeJson(join(o.out, 'constraint_violations.json'), toViolationsFile(report.violations), o.out);
    await writeJson(join(o.out, 'statistics.json'), profileToStatistics(profiled.profile));
    await writeJson(join(o.out, 'drift-report.json'), report);
  }
  return output(report, o, 'violations');
}

/**
 * `driftwatch report`: renders a saved drift report (drift-report.json). Exit 1 only when `failOn` is given
 * and finds something (default `none`: rendering a report does not fail a pipeline).
 */
export async function reportCommand(
  o: { input: string } & ReportOutputOptions,
): Promise<CommandResult & { report: DriftReport }> {
  const report = parseDriftReport(await readJsonFile(o.input), o.input);
  return output(report, o, 'none');
}
