import type { FeatureDrift } from '../drift/compare.js';
import type { DriftReport } from './drift-report.js';
import { formatNumber } from './text.js';
import { allColumns, headline, methodLabel, thresholdLabel, verdictStatus } from './verdict.js';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** @default 'driftwatch drift check' */
  title?: string;
  /** Inputs listed in the details block before the rest are counted. @default 20 */
  maxInputs?: number;
}

/**
 * Escapes inline text for GitHub-flavoured Markdown, table cells included: a backslash before the characters
 * that start emphasis, links, HTML, entities or code, or split a cell; newlines become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<|~&]/g, (c) => `\\${c}`);
}

/**
 * A code span holding any text: the fence is one backtick longer than the longest run inside. In a table a
 * `|` is written `\|`, which GitHub reads as a literal bar even inside code.
 */
function code(text: string, inTable = true): string {
  const line = text.replace(/[\r\n]+/g, ' ');
  const flat = inTable ? line.replace(/\|/g, '\\|') : line;
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const VERDICT = {
  drift: '❌ Drift detected',
  violations: '⚠️ Data-quality violations',
  ok: '✅ No drift',
} as const;

function driftRow(f: FeatureDrift): string[] {
  return [code(f.name), f.type, methodLabel(f), formatNumber(f.statistic), escapeMarkdown(thresholdLabel(f))];
}

function percent(x: number): string {
  return `${formatNumber(x * 100)}%`;
}

/**
 * Renders a drift report as GitHub-flavoured Markdown for a job summary or a pull-request comment: the verdict
 * first, then the drifted columns (method, statistic, threshold), then the violations, then everything else
 * folded in a details block.
 */
export function renderMarkdown(report: DriftReport, options: MarkdownOptions = {}): string {
  const status = verdictStatus(report);
  const out: string[] = [
    `## ${VERDICT[status]}: ${escapeMarkdown(options.title ?? 'driftwatch drift check')}`,
    '',
    `**${escapeMarkdown(headline(report))}**`,
    '',
    [
      `${report.records.accepted} of ${report.records.lines} records used (${report.records.rejected} rejected), ${report.rows} rows`,
      `baseline ${code(report.baseline.source, false)}`,
      ...(report.inferenceTime
        ? [`inference time ${report.inferenceTime.first} to ${report.inferenceTime.last}`]
        : []),
    ].join(' · '),
  ];

  const drifted = allColumns(report).filter((f) => f.drift);
  if (drifted.length > 0) {
    out.push(
      '',
      '### Drifted features',
      '',
      table(['feature', 'type', 'method', 'statistic', 'threshold'], drifted.map(driftRow)),
    );
  }
  if (report.violations.length > 0) {
    out.push(
      '',
      `### Violations (${report.violations.length})`,
      '',
      table(
        ['feature', 'check', 'description'],
        report.violations.map((v) => [
          code(v.feature_name),
          code(v.constraint_check_type),
          escapeMarkdown(v.description),
        ]),
      ),
    );
  }

  const columns = allColumns(report);
  const maxInputs = options.maxInputs ?? 20;
  out.push(
    '',
    '<details>',
    `<summary>All ${columns.length} columns, inputs and rejected records</summary>`,
    '',
    table(
      ['', 'feature', 'type', 'method', 'statistic', 'threshold', 'n', 'missing', 'baseline missing', 'note'],
      columns.map((f) => [
        f.drift ? '❌' : '✅',
        code(f.name),
        f.type,
        methodLabel(f),
        formatNumber(f.statistic),
        escapeMarkdown(thresholdLabel(f)),
        String(f.count),
        percent(f.missingRate),
        percent(f.baselineMissingRate),
        escapeMarkdown(f.note ?? ''),
      ]),
    ),
    '',
    `Inputs (${report.inputs.length}): ${report.inputs
      .slice(0, maxInputs)
      .map((i) => code(i, false))
      .join(
        ', ',
      )}${report.inputs.length > maxInputs ? `, and ${report.inputs.length - maxInputs} more` : ''}`,
  );
  if (report.rejections.length > 0) {
    out.push(
      '',
      `Rejected records (${report.records.rejected}):`,
      '',
      ...report.rejections.map(
        (r) =>
          `- ${code(`${r.file}:${r.line}`, false)}${r.field ? ` ${code(r.field, false)}` : ''}: ${escapeMarkdown(r.reason)}`,
      ),
      ...(report.rejectionsTruncated > 0 ? [`- and ${report.rejectionsTruncated} more`] : []),
    );
  }
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}
