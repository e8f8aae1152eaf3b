import { type Command, InvalidArgumentError, Option } from 'commander';
import type { ProblemType } from '../core/config/quality-schema.js';
import { InputError } from '../errors.js';
import { emit, list, positiveInt } from './drift-program.js';
import { abCommand, estimateCommand, gateCommand, qualityCommand } from './quality-commands.js';

const PROBLEM_TYPES = ['BinaryClassification', 'MulticlassClassification', 'Regression'];

/** Parses a number option. */
const number = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
};

/** Parses a non-negative integer option. */
const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected an integer >= 0');
  return n;
};

/** Collects repeated `metric=value` options into a record. */
const metricValue = (value: string, previous: Record<string, number> = {}): Record<string, number> => {
  const at = value.indexOf('=');
  const metric = value.slice(0, at).trim();
  const n = Number(value.slice(at + 1));
  if (at < 1 || value.slice(at + 1).trim() === '' || !Number.isFinite(n)) {
    throw new InvalidArgumentError('expected metric=number, e.g. auc=0.8');
  }
  return { ...previous, [metric]: n };
};

/** Options every quality command shares: configuration and the prediction/label mapping. */
function mappingOptions(command: Command): Command {
  return command
    .option('--config <file>', 'monitor configuration (modelQuality, groundTruth, gate, payload mapping)')
    .option('--endpoint <name>', 'endpoint in the configuration (default: the only one)')
    .addOption(new Option('--problem-type <type>', 'Model Monitor problem type').choices(PROBLEM_TYPES))
    .option(
      '--inference-attribute <name>',
      'output (captures) or column (CSV) with the predicted label or value',
    )
    .option(
      '--probability-attribute <name>',
      'output (captures) or column (CSV) with the predicted probability',
    )
    .option('--probability-threshold <p>', 'probability at or above which the predicted label is 1', number)
    .option('--ground-truth-attribute <column>', 'CSV column with the label (default: label)')
    .option('--label-attribute <path>', 'JSON path of the label inside JSON ground-truth data')
    .option(
      '--lookback-hours <h>',
      'hours after an inference its label may be collected (default 24)',
      count,
    );
}

/** The mapping options as the command functions take them. */
function mapping(o: Record<string, unknown>) {
  const pick = <T>(key: string) => (o[key] === undefined ? {} : { [key]: o[key] as T });
  return {
    ...pick<string>('config'),
    ...pick<string>('endpoint'),
    ...pick<ProblemType>('problemType'),
    ...pick<string>('inferenceAttribute'),
    ...pick<string>('probabilityAttribute'),
    ...pick<number>('probabilityThreshold'),
    ...pick<string>('groundTruthAttribute'),
    ...pick<string>('labelAttribute'),
    ...pick<number>('lookbackHours'),
  };
}

/** The bootstrap options of `gate` and `ab`: resamples, seed and confidence level. */
function bootstrapOptions(command: Command): Command {
  return command
    .option('--samples <n>', 'bootstrap resamples (default 1000)', positiveInt)
    .option('--seed <n>', 'bootstrap seed (default 42)', count)
    .option('--confidence <c>', 'confidence level of the intervals (default 0.95)', number);
}

/** The bootstrap options as the command functions take them. */
function bootstrap(o: Record<string, unknown>) {
  return {
    ...(o.samples !== undefined ? { samples: o.samples as number } : {}),
    ...(o.seed !== undefined ? { seed: o.seed as number } : {}),
    ...(o.confidence !== undefined ? { confidence: o.confidence as number } : {}),
  };
}

/** Registers `quality`, `gate`, `ab` and `estimate`. */
export function registerQualityCommands(program: Command): void {
  mappingOptions(
    program
      .command('quality')
      .description(
        'model-quality metrics from captures joined to ground truth (or labelled predictions CSVs); exit 0 ok, 1 violations, 2 error',
      )
      .argument('<inputs...>', 'capture .jsonl files or directories, or labelled predictions .csv files')
      .option(
        '--ground-truth <paths...>',
        'ground-truth .jsonl files or directories (yyyy/mm/dd/hh partitions)',
      )
      .option(
        '--constraints <file>',
        'model-quality constraints.json to check (default: modelQuality.thresholds)',
      )
      .option(
        '--suggest-constraints',
        'also write constraints.json suggested from these metrics (a baseline)',
      )
      .option(
        '--min-samples <n>',
        'check constraints only with at least this many labelled pairs',
        positiveInt,
      )
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option(
        '--out <dir>',
        'write statistics.json, constraint_violations.json and quality-report.json here',
      ),
  ).action((inputs: string[], o: Record<string, unknown>) =>
    emit(
      qualityCommand({
        inputs,
        ...mapping(o),
        format: o.format as 'text' | 'json',
        ...(o.groundTruth ? { groundTruth: o.groundTruth as string[] } : {}),
        ...(o.constraints ? { constraints: o.constraints as string } : {}),
        ...(o.suggestConstraints ? { suggestConstraints: true } : {}),
        ...(o.minSamples ? { minSamples: o.minSamples as number } : {}),
        ...(o.out ? { out: o.out as string } : {}),
      }),
    ),
  );

  mappingOptions(
    bootstrapOptions(
      program
        .command('gate')
        .description('champion/challenger quality gate; exit 0 PROMOTE, 1 REJECT, 3 INCONCLUSIVE, 2 error')
        .requiredOption('--candidate <file>', 'challenger: model-quality statistics.json or predictions .csv')
        .requiredOption('--champion <file>', 'champion: model-quality statistics.json or predictions .csv')
        .option(
          '--labels <file>',
          'labels for predictions without a label column: .csv or ground-truth .jsonl',
        )
        .option(
          '--id-column <column>',
          'column joining predictions to --labels (eventId for .jsonl); default: row order',
        )
        .option(
          '--floor <metric=value>',
          "absolute bound on the challenger's metric (repeatable)",
          metricValue,
        )
        .option(
          '--max-regression <metric=value>',
          'allowed regression vs the champion (repeatable)',
          metricValue,
        )
        .option(
          '--min-improvement <metric=value>',
          'required improvement vs the champion (repeatable)',
          metricValue,
        ),
    )
      .option('--mcnemar-alpha <a>', "significance level of McNemar's test (default 0.05)", number)
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['text', 'json', 'markdown', 'junit'])
          .default('text'),
      )
      .option('--out <file>', 'also write the JSON result here'),
  ).action((o: Record<string, unknown>) =>
    emit(
      gateCommand({
        candidate: o.candidate as string,
        champion: o.champion as string,
        ...mapping(o),
        format: o.format as 'text' | 'json' | 'markdown' | 'junit',
        ...(o.labels ? { labels: o.labels as string } : {}),
        ...(o.idColumn ? { idColumn: o.idColumn as string } : {}),
        ...(o.floor ? { floors: o.floor as Record<string, number> } : {}),
        ...(o.maxRegression ? { maxRegression: o.maxRegression as Record<string, number> } : {}),
        ...(o.minImprovement ? { minImprovement: o.minImprovement as Record<string, number> } : {}),
        ...bootstrap(o),
        ...(o.mcnemarAlpha !== undefined ? { mcnemarAlpha: o.mcnemarAlpha as number } : {}),
        ...(o.out ? { out: o.out as string } : {}),
      }),
    ),
  );

  mappingOptions(
    bootstrapOptions(
      program
        .command('ab')
        .description('compare two production variants from their captures and ground truth; exit 0, 2 error')
        .argument('<variantA>', "variant A's capture files or directory")
        .argument('<variantB>', "variant B's capture files or directory")
        .requiredOption('--ground-truth <paths...>', 'ground-truth .jsonl files or directories')
        .option('--names <a,b>', 'variant names (default: the directory names)', list)
        .option(
          '--mde <effect>',
          'minimum detectable effect in the primary metric (default 0.02 accuracy, 10% of MAE)',
          number,
        )
        .option('--alpha <a>', 'significance level (default 0.05)', number)
        .option('--power <p>', 'power for the sample-size requirement (default 0.8)', number)
        .option('--metrics <list>', 'metrics given a bootstrap interval', list),
    ).addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')),
  ).action((variantA: string, variantB: string, o: Record<string, unknown>) => {
    const names = o.names as string[] | undefined;
    if (names !== undefined && names.length !== 2) {
      throw new InputError('--names: expected two names, e.g. A,B');
    }
    return emit(
      abCommand({
        variants: [variantA, variantB],
        groundTruth: o.groundTruth as string[],
        ...mapping(o),
        format: o.format as 'text' | 'json',
        ...(names ? { names: [names[0] as string, names[1] as string] as const } : {}),
        ...(o.mde !== undefined ? { minDetectableEffect: o.mde as number } : {}),
        ...(o.alpha !== undefined ? { alpha: o.alpha as number } : {}),
        ...(o.power !== undefined ? { power: o.power as number } : {}),
        ...(o.metrics ? { metrics: o.metrics as string[] } : {}),
        ...bootstrap(o),
      }),
    );
  });

  mappingOptions(
    program
      .command('estimate')
      .description('label-free performance estimate (CBPE) of binary classifiers per window; exit 0, 2 error')
      .argument('<windows...>', 'one window per path: capture files/directories or predictions .csv files')
      .requiredOption(
        '--calibration <file>',
        'labelled baseline predictions .csv (probability and label columns)',
      )
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text')),
  ).action((windows: string[], o: Record<string, unknown>) =>
    emit(
      estimateCommand({
        calibration: o.calibration as string,
        windows,
        ...mapping(o),
        format: o.format as 'text' | 'json',
      }),
    ),
  );
}
