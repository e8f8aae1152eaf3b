import { type Command, InvalidArgumentError, Option } from 'commander';
import { FAIL_ON_CHOICES, type FailOn } from '../core/report/verdict.js';
import {
  baselineCommand,
  type CommandResult,
  driftCommand,
  profileCommand,
  REPORT_FORMATS,
  type ReportFormat,
  reportCommand,
} from './commands.js';
import { loadCliSettings } from './config-settings.js';
import { terminalProgress } from './progress.js';

/** Parses a comma-separated list option. */
export const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Parses a positive integer option. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** Prints a command's output and sets the exit code. */
export async function emit(result: Promise<CommandResult>): Promise<void> {
  const { exitCode, stdout } = await result;
  process.stdout.write(stdout);
  process.exitCode = exitCode;
}

/** `--fail-on` with its choices and default. */
const failOnOption = (defaultValue: FailOn, what: string) =>
  new Option(
    '--fail-on <what>',
    `exit 1 on: violations (drift or any constraint violation), drift (drift only), none (${what})`,
  )
    .choices([...FAIL_ON_CHOICES])
    .default(defaultValue);

/** GITHUB_STEP_SUMMARY, unless --no-step-summary. */
function stepSummary(o: Record<string, unknown>): { stepSummary?: string } {
  const path = process.env.GITHUB_STEP_SUMMARY;
  return o.stepSummary !== false && path ? { stepSummary: path } : {};
}

const STEP_SUMMARY_HELP = 'do not append --format markdown output to $GITHUB_STEP_SUMMARY';

/** Registers `baseline`, `profile` and `drift`. */
export function registerDriftCommands(program: Command): void {
  program
    .command('baseline')
    .description('build a baseline (statistics.json, constraints.json, baseline.json) from a training CSV')
    .argument('<train.csv>', 'training data; a header row is detected, or use --header/--no-header')
    .requiredOption('--out <dir>', 'directory to write the baseline into')
    .option('--target <column>', 'column to leave out (the training label)')
    .option('--categorical <columns>', 'comma-separated columns to treat as categorical', list)
    .option('--prediction <column>', "column holding the model's prediction, profiled as the prediction")
    .option('--header', 'the first row is a header')
    .option('--no-header', 'the first row is data; columns are named _c0, _c1, ...')
    .option('--top-k <n>', 'distinct categories kept per feature', positiveInt)
    .option('--config <file>', 'monitor configuration: features declared `type: categorical` are categorical')
    .option('--endpoint <name>', 'endpoint in the configuration (default: the only one)')
    .action(async (input: string, o: Record<string, unknown>) => {
      const settings = await loadCliSettings(
        o.config as string | undefined,
        o.endpoint as string | undefined,
      );
      const categorical = [
        ...((o.categorical as string[] | undefined) ?? []),
        ...[...(settings.featureTypes ?? [])].flatMap(([name, kind]) =>
          kind === 'categorical' ? [name] : [],
        ),
      ];
      await emit(
        baselineCommand({
          input,
          out: o.out as string,
          header: (o.header as boolean | undefined) ?? 'auto',
          ...(o.target ? { target: o.target as string } : {}),
          ...(categorical.length > 0 ? { categorical } : {}),
          ...(o.prediction ? { prediction: o.prediction as string } : {}),
          ...(o.topK
            ? { categoricalTopK: o.topK as number }
            : settings.categoricalTopK
              ? { categoricalTopK: settings.categoricalTopK }
              : {}),
        }),
      );
    });

  program
    .command('profile')
    .description(
      'profile capture files, CSVs or saved profiles against a baseline into one mergeable profile',
    )
    .argument('<inputs...>', 'capture .jsonl files, directories, .csv files or saved profiles')
    .requiredOption('--baseline <dir>', 'baseline directory')
    .requiredOption('--out <file>', 'profile file to write')
    .option('--config <file>', 'monitor configuration (payload mapping, profile settings)')
    .option('--endpoint <name>', 'endpoint in the configuration (default: the only one)')
    .action(async (inputs: string[], o: Record<string, unknown>) => {
      const settings = await loadCliSettings(
        o.config as string | undefined,
        o.endpoint as string | undefined,
      );
      const progress = terminalProgress();
      await emit(
        profileCommand(
          { inputs, baseline: o.baseline as string, out: o.out as string },
          { ...settings, ...(progress ? { progress } : {}) },
        ),
      );
    });

  program
    .command('drift')
    .description(
      'compare captures, CSVs or profiles with a baseline; exit 0 ok, 1 what --fail-on names was found, 2 error',
    )
    .argument('<inputs...>', 'capture .jsonl files, directories, .csv files or saved profiles')
    .requiredOption('--baseline <dir>', 'baseline directory (driftwatch or Model Monitor statistics.json)')
    .option('--config <file>', 'monitor configuration: methods, thresholds, payload mapping')
    .option('--endpoint <name>', 'endpoint in the configuration (default: the only one)')
    .addOption(new Option('--format <format>', 'output format').choices([...REPORT_FORMATS]).default('text'))
    .addOption(failOnOption('violations', 'always 0 unless an error'))
    .option('--no-step-summary', STEP_SUMMARY_HELP)
    .option(
      '--out <dir>',
      'also write constraint_violations.json, statistics.json and drift-report.json here',
    )
    .action(async (inputs: string[], o: Record<string, unknown>) => {
      const settings = await loadCliSettings(
        o.config as string | undefined,
        o.endpoint as string | undefined,
      );
      const progress = terminalProgress();
      await emit(
        driftCommand(
          {
            inputs,
            baseline: o.baseline as string,
            format: o.format as ReportFormat,
            failOn: o.failOn as FailOn,
            ...stepSummary(o),
            ...(o.out ? { out: o.out as string } : {}),
          },
          { ...settings, ...(progress ? { progress } : {}) },
        ),
      );
    });
}

/** Registers `report`: renders a saved drift report. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description('render a saved drift report (drift-report.json) as text, Markdown, JUnit XML or HTML')
    .argument(
      '<report.json>',
      'drift-report.json written by `driftwatch drift --out`, or its --format json output',
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['text', 'markdown', 'junit', 'html'])
        .default('text'),
    )
    .addOption(failOnOption('none', 'the default: rendering does not fail'))
    .option('--no-step-summary', STEP_SUMMARY_HELP)
    .action((input: string, o: Record<string, unknown>) =>
      emit(
        reportCommand({
          input,
          format: o.format as ReportFormat,
          failOn: o.failOn as FailOn,
          ...stepSummary(o),
        }),
      ),
    );
}
