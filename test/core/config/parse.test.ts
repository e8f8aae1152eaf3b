import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ConfigValidationError,
  formatIssue,
  parseMonitorConfig,
  parseMonitorConfigText,
} from '../../../functions/core/config/parse.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const REMOVE = Symbol('remove');
type Edit = readonly [path: readonly (string | number)[], value: Json | typeof REMOVE];

const exampleText = (name: string) =>
  readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');
const FULL = JSON.parse(exampleText('driftwatch.config.json')) as Json;
const MINIMAL = JSON.parse(exampleText('minimal.config.json')) as Json;

function edited(base: Json, edits: readonly Edit[]): Json {
  const doc = structuredClone(base);
  for (const [path, value] of edits) {
    let node: unknown = doc;
    for (const segment of path.slice(0, -1)) {
      node = (node as Record<string | number, unknown>)[segment];
    }
    const container = node as Record<string | number, unknown>;
    const last = path[path.length - 1] ?? '';
    if (value === REMOVE) {
      delete container[last];
    } else {
      container[last] = value;
    }
  }
  return doc;
}

function rejection(run: () => unknown): ConfigValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const E = ['endpoints', 0] as const;

interface RuleCase {
  rule: string;
  base?: Json;
  edits: readonly Edit[];
  path: string;
  expected: string;
  /** The received value as printed (JSON); undefined when the field is missing. */
  received?: string;
}

const RULES: readonly RuleCase[] = [
  // Top level
  {
    rule: 'version is not 1',
    edits: [[['version'], 2]],
    path: 'version',
    expected: 'expected 1',
    received: '2',
  },
  {
    rule: 'version is missing',
    edits: [[['version'], REMOVE]],
    path: 'version',
    expected: 'expected 1, the only configuration version',
  },
  {
    rule: 'a top-level key is unknown',
    edits: [[['endpoint'], []]],
    path: 'endpoint',
    expected: 'unknown field (did you mean "endpoints"?); expected one of: $schema, version',
    received: '[]',
  },
  {
    rule: 'endpoints is missing',
    edits: [[['endpoints'], REMOVE]],
    path: 'endpoints',
    expected: 'expected an array',
  },
  {
    rule: 'endpoints is empty',
    edits: [[['endpoints'], []]],
    path: 'endpoints',
    expected: 'expected at least one endpoint',
    received: '[]',
  },
  {
    rule: 'stackName is not a stack name',
    edits: [[['stackName'], '1-stack']],
    path: 'stackName',
    expected: 'expected a CloudFormation stack name',
    received: '"1-stack"',
  },
  {
    rule: 'a tag value is too long',
    edits: [[['tags', 'team'], 'x'.repeat(257)]],
    path: 'tags.team',
    expected: 'expected at most 256 characters',
    received: `"${'x'.repeat(76)}...`,
  },
  {
    rule: 'an allowed prefix is not an S3 URI',
    edits: [[['allowedS3Prefixes'], ['example-ml-data']]],
    path: 'allowedS3Prefixes[0]',
    expected: 'expected an s3://bucket/key URI (expected a URI starting with "s3://")',
    received: '"example-ml-data"',
  },
  {
    rule: 'an S3 location is outside allowedS3Prefixes',
    edits: [[[...E, 'capture', 's3Uri'], 's3://other-bucket/datacapture']],
    path: 'endpoints[0].capture.s3Uri',
    expected: 'expected a location under one of allowedS3Prefixes (s3://example-ml-data)',
    received: '"s3://other-bucket/datacapture"',
  },
  {
    rule: 'an S3 location only shares a string prefix with an allowed prefix',
    edits: [[['allowedS3Prefixes'], ['s3://example-ml-data/data']]],
    path: 'endpoints[0].capture.s3Uri',
    expected: 'expected a location under one of allowedS3Prefixes (s3://example-ml-data/data)',
    received: '"s3://example-ml-data/datacapture"',
  },
  // Defaults
  {
    rule: 'a drift method is unknown',
    edits: [[['defaults', 'drift', 'method'], 'kl']],
    path: 'defaults.drift.method',
    expected:
      'expected one of "auto", "linf", "linf_robust", "ks", "psi", "js", "wasserstein", "wasserstein_norm", "chi2"',
    received: '"kl"',
  },
  {
    rule: 'minSamples is below 1',
    edits: [[['defaults', 'drift', 'minSamples'], 0]],
    path: 'defaults.drift.minSamples',
    expected: 'expected an integer >= 1',
    received: '0',
  },
  {
    rule: 'the auto alpha is not strictly between 0 and 1',
    edits: [[['defaults', 'drift', 'auto'], { alpha: 1 }]],
    path: 'defaults.drift.auto.alpha',
    expected: 'expected a number strictly between 0 and 1',
    received: '1',
  },
  {
    rule: 'a threshold with method auto is not a distance in [0, 1]',
    edits: [[['defaults', 'drift', 'threshold'], 2]],
    path: 'defaults.drift.threshold',
    expected: 'expected a distance between 0 and 1 for method "auto"',
    received: '2',
  },
  {
    rule: 'the sketch k is out of range',
    edits: [[['defaults', 'profile', 'sketchK'], 4]],
    path: 'defaults.profile.sketchK',
    expected: 'expected an integer between 8 and 65536',
    received: '4',
  },
  {
    rule: 'a data-quality threshold is not a number',
    edits: [[['defaults', 'dataQuality'], { datatypeCheckThreshold: 'abc' }]],
    path: 'defaults.dataQuality.datatypeCheckThreshold',
    expected: 'expected a number between 0 and 1',
    received: '"abc"',
  },
  {
    rule: 'a data-quality comparison method is unknown',
    edits: [[['defaults', 'dataQuality'], { comparisonMethod: 'linf_simple' }]],
    path: 'defaults.dataQuality.comparisonMethod',
    expected: 'expected one of "Simple", "Robust"',
    received: '"linf_simple"',
  },
  // Endpoint identity
  {
    rule: 'the endpoint name breaks SageMaker rules',
    edits: [[[...E, 'name'], 'churn_endpoint']],
    path: 'endpoints[0].name',
    expected: 'expected a SageMaker endpoint name (1-63 letters, digits and hyphens',
    received: '"churn_endpoint"',
  },
  {
    rule: 'two endpoints share a name',
    base: edited(MINIMAL, [
      [
        ['endpoints', 1],
        { name: 'churn-endpoint', capture: { s3Uri: 's3://b-1' }, baseline: { s3Uri: 's3://b-1' } },
      ],
    ]),
    edits: [],
    path: 'endpoints[1].name',
    expected: 'expected a unique endpoint name (already used at index 0)',
    received: '"churn-endpoint"',
  },
  {
    rule: 'a variant name breaks SageMaker rules',
    edits: [[[...E, 'variants', 0, 'name'], 'All Traffic']],
    path: 'endpoints[0].variants[0].name',
    expected: 'expected a SageMaker production variant name',
    received: '"All Traffic"',
  },
  {
    rule: 'two variants share a name',
    edits: [
      [
        [...E, 'variants'],
        [{ name: 'A' }, { name: 'B' }, { name: 'A' }],
      ],
    ],
    path: 'endpoints[0].variants[2].name',
    expected: 'expected a unique variant name (already used at index 0)',
    received: '"A"',
  },
  {
    rule: 'variants is empty',
    edits: [[[...E, 'variants'], []]],
    path: 'endpoints[0].variants',
    expected: 'expected at least one variant',
    received: '[]',
  },
  {
    rule: 'the monitoring schedule name breaks SageMaker rules',
    edits: [[[...E, 'monitoringScheduleName'], 'schedule-']],
    path: 'endpoints[0].monitoringScheduleName',
    expected: 'expected a monitoring schedule name',
    received: '"schedule-"',
  },
  {
    rule: 'the model package group name breaks SageMaker rules',
    edits: [[[...E, 'modelPackageGroupName'], 'group/x']],
    path: 'endpoints[0].modelPackageGroupName',
    expected: 'expected a model package group name',
    received: '"group/x"',
  },
  {
    rule: 'an endpoint key is misspelt',
    edits: [
      [[...E, 'captur'], { s3Uri: 's3://example-ml-data/datacapture' }],
      [[...E, 'capture'], REMOVE],
    ],
    path: 'endpoints[0].captur',
    expected: 'unknown field (did you mean "capture"?)',
    received: '{"s3Uri":"s3://example-ml-data/datacapture"}',
  },
  // Locations
  {
    rule: 'capture is missing',
    edits: [[[...E, 'capture'], REMOVE]],
    path: 'endpoints[0].capture',
    expected: 'expected an object',
  },
  {
    rule: 'a bucket name has uppercase letters',
    edits: [[[...E, 'capture', 's3Uri'], 's3://Example-ML-Data/capture']],
    path: 'endpoints[0].capture.s3Uri',
    expected: 'expected an s3://bucket/key URI (bucket name may only contain lowercase letters, digits',
    received: '"s3://Example-ML-Data/capture"',
  },
  {
    rule: 'a location is an https URL',
    edits: [[[...E, 'baseline', 's3Uri'], 'https://example-ml-data.s3.amazonaws.com/baselines/']],
    path: 'endpoints[0].baseline.s3Uri',
    expected: 'expected an s3://bucket/key URI (expected a URI starting with "s3://")',
    received: '"https://example-ml-data.s3.amazonaws.com/baselines/"',
  },
  {
    rule: 'existingBucket is not a boolean',
    edits: [[[...E, 'capture', 'existingBucket'], 'yes']],
    path: 'endpoints[0].capture.existingBucket',
    expected: 'expected true or false',
    received: '"yes"',
  },
  {
    rule: 'the KMS key is not a key ARN',
    edits: [[[...E, 'capture', 'kmsKeyArn'], 'alias/my-key']],
    path: 'endpoints[0].capture.kmsKeyArn',
    expected: 'expected a KMS key or alias ARN',
    received: '"alias/my-key"',
  },
  {
    rule: 'lookbackHours is not an integer',
    edits: [[[...E, 'groundTruth', 'lookbackHours'], 1.5]],
    path: 'endpoints[0].groundTruth.lookbackHours',
    expected: 'expected an integer between 1 and 8760',
    received: '1.5',
  },
  {
    rule: 'a JSON path uses unsupported syntax',
    edits: [[[...E, 'groundTruth', 'labelAttribute'], '$..label']],
    path: 'endpoints[0].groundTruth.labelAttribute',
    expected:
      "expected a JSON path made of $, .name, ['name'], [n] and [*] (JSON path '$..label': expected a name",
    received: '"$..label"',
  },
  // Payload and features
  {
    rule: 'the payload format is unknown',
    edits: [[[...E, 'payload', 'input', 'format'], 'xml']],
    path: 'endpoints[0].payload.input.format',
    expected: 'expected one of "auto", "csv", "json"',
    received: '"xml"',
  },
  {
    rule: 'JSON paths are given for a CSV payload',
    edits: [[[...E, 'payload', 'input', 'paths'], { day_mins: '$.day_mins' }]],
    path: 'endpoints[0].payload.input.paths',
    expected: 'expected no paths because format is "csv" (paths read JSON payloads; use columns)',
    received: '{"day_mins":"$.day_mins"}',
  },
  {
    rule: 'an output path is given for a CSV response',
    edits: [[[...E, 'payload', 'output', 'path'], '$.score']],
    path: 'endpoints[0].payload.output.path',
    expected: 'expected no path because format is "csv"',
    received: '"$.score"',
  },
  {
    rule: 'two columns share a name',
    edits: [[[...E, 'payload', 'input', 'columns', 9], 'day_mins']],
    path: 'endpoints[0].payload.input.columns[9]',
    expected: 'expected a unique column name (already used at index 2)',
    received: '"day_mins"',
  },
  {
    rule: 'two outputs share a name',
    edits: [
      [
        [...E, 'payload', 'output', 'names'],
        ['churn_probability', 'churn_probability'],
      ],
    ],
    path: 'endpoints[0].payload.output.names[1]',
    expected: 'expected a unique output name (already used at index 0)',
    received: '"churn_probability"',
  },
  {
    rule: 'an output is named like an input',
    edits: [
      [
        [...E, 'payload', 'output', 'names'],
        ['churn_probability', 'day_mins'],
      ],
    ],
    path: 'endpoints[0].payload.output.names[1]',
    expected: 'expected an output name different from every input feature name',
    received: '"day_mins"',
  },
  {
    rule: 'maxLineBytes is below 1 KiB',
    edits: [[[...E, 'payload', 'maxLineBytes'], 10]],
    path: 'endpoints[0].payload.maxLineBytes',
    expected: 'expected an integer between 1024 and 1073741824',
    received: '10',
  },
  {
    rule: 'a feature override names no payload column',
    edits: [[[...E, 'features', 0, 'name'], 'custserv']],
    path: 'endpoints[0].features[0].name',
    expected: 'expected a name from payload.input.columns, payload.input.paths or payload.output.names',
    received: '"custserv"',
  },
  {
    rule: 'two feature overrides share a name',
    edits: [[[...E, 'features', 1, 'name'], 'custserv_calls']],
    path: 'endpoints[0].features[1].name',
    expected: 'expected a unique feature name (already used at index 0)',
    received: '"custserv_calls"',
  },
  {
    rule: 'a feature name has a control character',
    edits: [[[...E, 'features', 0, 'name'], 'a\u0001b']],
    path: 'endpoints[0].features[0].name',
    expected: 'expected a feature name of 1-200 characters without control characters',
    received: '"a\\u0001b"',
  },
  {
    rule: 'a feature type is unknown',
    edits: [[[...E, 'features', 0, 'type'], 'text']],
    path: 'endpoints[0].features[0].type',
    expected: 'expected one of "numeric", "categorical"',
    received: '"text"',
  },
  {
    rule: 'a typed feature uses a method of the other type',
    edits: [[[...E, 'features', 0, 'drift', 'method'], 'chi2']],
    path: 'endpoints[0].features[0].drift.method',
    expected:
      'expected a method for numeric features (auto, linf, linf_robust, ks, psi, js, wasserstein, wasserstein_norm)',
    received: '"chi2"',
  },
  // Drift thresholds
  {
    rule: 'a p-value threshold is not strictly between 0 and 1',
    edits: [[[...E, 'features', 1, 'drift', 'threshold'], 1.5]],
    path: 'endpoints[0].features[1].drift.threshold',
    expected: 'expected a significance level strictly between 0 and 1 for method "chi2"',
    received: '1.5',
  },
  {
    rule: 'an inherited method makes a feature threshold out of range',
    edits: [
      [[...E, 'drift'], { method: 'js' }],
      [[...E, 'features', 0, 'drift'], { threshold: 1.2 }],
    ],
    path: 'endpoints[0].features[0].drift.threshold',
    expected: 'expected a distance between 0 and 1 for method "js"',
    received: '1.2',
  },
  {
    rule: 'a drift threshold is negative',
    edits: [[[...E, 'drift'], { method: 'psi', threshold: -0.1 }]],
    path: 'endpoints[0].drift.threshold',
    expected: 'expected a number >= 0',
    received: '-0.1',
  },
  {
    rule: 'wasserstein has no threshold',
    edits: [[[...E, 'drift'], { method: 'wasserstein' }]],
    path: 'endpoints[0].drift.method',
    expected:
      'expected a threshold next to method "wasserstein": it is in the feature\'s units and has no default',
    received: '"wasserstein"',
  },
  // Schedule
  {
    rule: 'the schedule is not a rate or cron expression',
    edits: [[[...E, 'schedule', 'evaluateExpression'], 'every hour']],
    path: 'endpoints[0].schedule.evaluateExpression',
    expected:
      'expected a rate(...) or cron(...) expression: expected "rate(<value> <unit>)" or "cron(<six fields>)"',
    received: '"every hour"',
  },
  {
    rule: 'a rate unit disagrees with its value',
    edits: [[[...E, 'schedule', 'evaluateExpression'], 'rate(1 hours)']],
    path: 'endpoints[0].schedule.evaluateExpression',
    expected: 'with a value of 1 the unit must be "hour"',
    received: '"rate(1 hours)"',
  },
  {
    rule: 'a cron expression sets both day fields',
    edits: [[[...E, 'schedule', 'evaluateExpression'], 'cron(0 * * * * *)']],
    path: 'endpoints[0].schedule.evaluateExpression',
    expected: 'exactly one of day-of-month and day-of-week must be "?"',
    received: '"cron(0 * * * * *)"',
  },
  {
    rule: 'the time zone is unknown',
    edits: [[[...E, 'schedule', 'timezone'], 'Mars/Olympus']],
    path: 'endpoints[0].schedule.timezone',
    expected: 'expected an IANA time zone name: unknown time zone "Mars/Olympus"',
    received: '"Mars/Olympus"',
  },
  {
    rule: 'the window is shorter than an hour',
    edits: [[[...E, 'schedule', 'windowHours'], 0]],
    path: 'endpoints[0].schedule.windowHours',
    expected: 'expected an integer between 1 and 8760',
    received: '0',
  },
  // Alarms
  {
    rule: 'datapointsToAlarm exceeds evaluationPeriods',
    edits: [[[...E, 'alarms', 'driftedFeatureShare', 'datapointsToAlarm'], 4]],
    path: 'endpoints[0].alarms.driftedFeatureShare.datapointsToAlarm',
    expected: 'expected at most evaluationPeriods (3)',
    received: '4',
  },
  {
    rule: 'the drifted share threshold is 0',
    edits: [[[...E, 'alarms', 'driftedFeatureShare', 'threshold'], 0]],
    path: 'endpoints[0].alarms.driftedFeatureShare.threshold',
    expected: 'expected a number > 0 and <= 1',
    received: '0',
  },
  {
    rule: 'the latency alarm is enabled without a threshold',
    edits: [[[...E, 'alarms', 'modelLatencyP99Micros', 'threshold'], REMOVE]],
    path: 'endpoints[0].alarms.modelLatencyP99Micros.threshold',
    expected: 'expected a latency threshold in microseconds because the alarm is enabled',
  },
  {
    rule: 'the retrain rule needs a model-quality alarm that does not exist',
    edits: [[[...E, 'modelQuality', 'thresholds'], {}]],
    path: 'endpoints[0].alarms.retrain.rule',
    expected: 'expected "drift_only" unless modelQuality has thresholds and alarms.modelQuality is enabled',
    received: '"drift_and_quality"',
  },
  {
    rule: 'the retrain rule needs the drift alarm while it is disabled',
    edits: [[[...E, 'alarms', 'driftedFeatureShare', 'enabled'], false]],
    path: 'endpoints[0].alarms.retrain.rule',
    expected: 'expected "quality_only" while alarms.driftedFeatureShare is disabled',
    received: '"drift_and_quality"',
  },
  // Model quality and gate
  {
    rule: 'modelQuality has no ground truth',
    edits: [[[...E, 'groundTruth'], REMOVE]],
    path: 'endpoints[0].groundTruth',
    expected: 'expected a groundTruth section because modelQuality needs labels',
  },
  {
    rule: 'the problem type is unknown',
    edits: [[[...E, 'modelQuality', 'problemType'], 'Classification']],
    path: 'endpoints[0].modelQuality.problemType',
    expected: 'expected one of "Regression", "BinaryClassification", "MulticlassClassification"',
    received: '"Classification"',
  },
  {
    rule: 'a quality threshold names a metric of another problem type',
    edits: [[[...E, 'modelQuality', 'thresholds', 'rmse'], { threshold: 3 }]],
    path: 'endpoints[0].modelQuality.thresholds.rmse',
    expected: 'expected a BinaryClassification metric (accuracy, precision, recall',
    received: '{"threshold":3}',
  },
  {
    rule: 'a quality threshold is outside its metric range',
    edits: [[[...E, 'modelQuality', 'thresholds', 'auc', 'threshold'], 1.2]],
    path: 'endpoints[0].modelQuality.thresholds.auc',
    expected: 'expected a number between 0 and 1',
    received: '{"threshold":1.2}',
  },
  {
    rule: 'a comparison operator is unknown',
    edits: [[[...E, 'modelQuality', 'thresholds', 'auc', 'comparisonOperator'], 'LessThan']],
    path: 'endpoints[0].modelQuality.thresholds.auc.comparisonOperator',
    expected: 'expected one of "LessThanThreshold", "GreaterThanThreshold"',
    received: '"LessThan"',
  },
  {
    rule: 'the probability attribute is not an output',
    edits: [[[...E, 'modelQuality', 'probabilityAttribute'], 'score']],
    path: 'endpoints[0].modelQuality.probabilityAttribute',
    expected: 'expected one of payload.output.names (churn_probability)',
    received: '"score"',
  },
  {
    rule: 'the probability threshold is above 1',
    edits: [[[...E, 'modelQuality', 'probabilityThreshold'], 2]],
    path: 'endpoints[0].modelQuality.probabilityThreshold',
    expected: 'expected a number between 0 and 1',
    received: '2',
  },
  {
    rule: 'a gate has no modelQuality',
    edits: [
      [[...E, 'modelQuality'], REMOVE],
      [[...E, 'alarms', 'retrain', 'rule'], 'drift_only'],
    ],
    path: 'endpoints[0].modelQuality',
    expected: 'expected a modelQuality section because the gate compares its metrics',
  },
  {
    rule: 'a gate floor names an unknown metric',
    edits: [[[...E, 'gate', 'floors', 'r2'], 0.5]],
    path: 'endpoints[0].gate.floors.r2',
    expected: 'expected a BinaryClassification metric',
    received: '0.5',
  },
  {
    rule: 'a gate floor is outside the metric range',
    edits: [[[...E, 'gate', 'floors', 'auc'], 1.5]],
    path: 'endpoints[0].gate.floors.auc',
    expected: 'expected a number between 0 and 1',
    received: '1.5',
  },
  {
    rule: 'a gate lists no metric',
    edits: [
      [[...E, 'gate', 'floors'], {}],
      [[...E, 'gate', 'maxRegression'], {}],
    ],
    path: 'endpoints[0].gate.floors',
    expected: 'expected at least one metric in floors, maxRegression or minImprovement',
    received: '{}',
  },
  {
    rule: 'a maximum regression is negative',
    edits: [[[...E, 'gate', 'maxRegression', 'auc'], -0.01]],
    path: 'endpoints[0].gate.maxRegression.auc',
    expected: 'expected a number >= 0',
    received: '-0.01',
  },
  {
    rule: 'the bootstrap has too few samples',
    edits: [[[...E, 'gate', 'bootstrap', 'samples'], 10]],
    path: 'endpoints[0].gate.bootstrap.samples',
    expected: 'expected an integer between 100 and 100000',
    received: '10',
  },
  {
    rule: 'the bootstrap confidence is 1',
    edits: [[[...E, 'gate', 'bootstrap', 'confidence'], 1]],
    path: 'endpoints[0].gate.bootstrap.confidence',
    expected: 'expected a number strictly between 0 and 1',
    received: '1',
  },
  {
    rule: "McNemar's alpha is 0",
    edits: [[[...E, 'gate', 'mcnemarAlpha'], 0]],
    path: 'endpoints[0].gate.mcnemarAlpha',
    expected: 'expected a number strictly between 0 and 1',
    received: '0',
  },
  // Retraining
  {
    rule: 'training sets both image and algorithmName',
    edits: [[[...E, 'retraining', 'training', 'algorithmName'], 'my-algorithm']],
    path: 'endpoints[0].retraining.training.algorithmName',
    expected: 'expected exactly one of image and algorithmName (image is set too)',
    received: '"my-algorithm"',
  },
  {
    rule: 'training sets neither image nor algorithmName',
    edits: [[[...E, 'retraining', 'training', 'image'], REMOVE]],
    path: 'endpoints[0].retraining.training.image',
    expected: 'expected exactly one of image and algorithmName (neither is set)',
  },
  {
    rule: 'the training image is not an ECR URI',
    edits: [[[...E, 'retraining', 'training', 'image'], 'xgboost:latest']],
    path: 'endpoints[0].retraining.training.image',
    expected: 'expected an ECR image URI',
    received: '"xgboost:latest"',
  },
  {
    rule: 'the instance type lacks the ml. prefix',
    edits: [[[...E, 'retraining', 'training', 'instanceType'], 'm5.xlarge']],
    path: 'endpoints[0].retraining.training.instanceType',
    expected: 'expected a SageMaker instance type such as "ml.m5.xlarge"',
    received: '"m5.xlarge"',
  },
  {
    rule: 'there is no training channel',
    edits: [[[...E, 'retraining', 'training', 'channels'], []]],
    path: 'endpoints[0].retraining.training.channels',
    expected: 'expected at least one training channel',
    received: '[]',
  },
  {
    rule: 'two training channels share a name',
    edits: [[[...E, 'retraining', 'training', 'channels', 1, 'name'], 'train']],
    path: 'endpoints[0].retraining.training.channels[1].name',
    expected: 'expected a unique channel name (already used at index 0)',
    received: '"train"',
  },
  {
    rule: 'a hyperparameter is a list',
    edits: [
      [
        [...E, 'retraining', 'training', 'hyperparameters', 'layers'],
        [1, 2],
      ],
    ],
    path: 'endpoints[0].retraining.training.hyperparameters.layers',
    expected: 'expected a string, number or boolean',
    received: '[1,2]',
  },
  {
    rule: 'the training output location is missing',
    edits: [[[...E, 'retraining', 'training', 'outputS3Uri'], REMOVE]],
    path: 'endpoints[0].retraining.training.outputS3Uri',
    expected: 'expected an s3://bucket/key URI',
  },
  {
    rule: 'the role is not an IAM role ARN',
    edits: [[[...E, 'retraining', 'training', 'roleArn'], 'arn:aws:iam::123456789012:user/bob']],
    path: 'endpoints[0].retraining.training.roleArn',
    expected: 'expected an IAM role ARN',
    received: '"arn:aws:iam::123456789012:user/bob"',
  },
  {
    rule: 'processing evaluation has no image',
    edits: [[[...E, 'retraining', 'evaluation', 'mode'], 'processing']],
    path: 'endpoints[0].retraining.evaluation.processingImage',
    expected: 'expected an ECR image URI because mode is "processing"',
  },
  {
    rule: 'batch-transform evaluation has a processing image',
    edits: [
      [
        [...E, 'retraining', 'evaluation', 'processingImage'],
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/eval:1',
      ],
    ],
    path: 'endpoints[0].retraining.evaluation.processingImage',
    expected: 'expected no processingImage because mode is "batch-transform"',
    received: '"123456789012.dkr.ecr.eu-west-1.amazonaws.com/eval:1"',
  },
  {
    rule: 'approval is Approved without a gate',
    edits: [
      [[...E, 'gate'], REMOVE],
      [[...E, 'retraining', 'approval'], 'Approved'],
    ],
    path: 'endpoints[0].retraining.approval',
    expected: 'expected "PendingManualApproval" unless a gate section is configured',
    received: '"Approved"',
  },
  {
    rule: 'the retraining schedule is invalid',
    edits: [[[...E, 'retraining', 'schedule'], 'cron(0 0 * * ?)']],
    path: 'endpoints[0].retraining.schedule',
    expected: 'a cron expression has 6 fields',
    received: '"cron(0 0 * * ?)"',
  },
  {
    rule: 'the cooldown is negative',
    edits: [[[...E, 'retraining', 'cooldownHours'], -1]],
    path: 'endpoints[0].retraining.cooldownHours',
    expected: 'expected an integer between 0 and 8760',
    received: '-1',
  },
  // Deployment
  {
    rule: 'CANARY has no canary size',
    edits: [[[...E, 'deployment', 'trafficRouting', 'canarySizePercent'], REMOVE]],
    path: 'endpoints[0].deployment.trafficRouting.canarySizePercent',
    expected: 'expected canarySizePercent because type is "CANARY"',
  },
  {
    rule: 'LINEAR has no step size',
    edits: [[[...E, 'deployment', 'trafficRouting'], { type: 'LINEAR' }]],
    path: 'endpoints[0].deployment.trafficRouting.linearStepPercent',
    expected: 'expected linearStepPercent because type is "LINEAR"',
  },
  {
    rule: 'ALL_AT_ONCE has a canary size',
    edits: [[[...E, 'deployment', 'trafficRouting', 'type'], 'ALL_AT_ONCE']],
    path: 'endpoints[0].deployment.trafficRouting.canarySizePercent',
    expected: 'expected no canarySizePercent because type is "ALL_AT_ONCE" (it applies to CANARY only)',
    received: '10',
  },
  {
    rule: 'the canary is above 50%',
    edits: [[[...E, 'deployment', 'trafficRouting', 'canarySizePercent'], 60]],
    path: 'endpoints[0].deployment.trafficRouting.canarySizePercent',
    expected: 'expected an integer between 1 and 50',
    received: '60',
  },
  {
    rule: 'a linear step is below 10%',
    edits: [[[...E, 'deployment', 'trafficRouting'], { type: 'LINEAR', linearStepPercent: 5 }]],
    path: 'endpoints[0].deployment.trafficRouting.linearStepPercent',
    expected: 'expected an integer between 10 and 50',
    received: '5',
  },
  {
    rule: 'the deployment timeout does not cover the waits',
    edits: [
      [[...E, 'deployment', 'trafficRouting', 'waitIntervalSeconds'], 3600],
      [[...E, 'deployment', 'terminationWaitSeconds'], 3600],
    ],
    path: 'endpoints[0].deployment.maximumExecutionTimeoutSeconds',
    expected: 'expected more than trafficRouting.waitIntervalSeconds + terminationWaitSeconds (7200)',
    received: '3600',
  },
  {
    rule: 'the polls end before the deployment timeout',
    edits: [[[...E, 'deployment', 'maxPolls'], 10]],
    path: 'endpoints[0].deployment.maxPolls',
    expected:
      'expected pollIntervalSeconds x maxPolls (600 s) to be at least maximumExecutionTimeoutSeconds (3600 s)',
    received: '10',
  },
  {
    rule: 'the deployment timeout is below the SageMaker minimum',
    edits: [[[...E, 'deployment', 'maximumExecutionTimeoutSeconds'], 500]],
    path: 'endpoints[0].deployment.maximumExecutionTimeoutSeconds',
    expected: 'expected an integer between 600 and 28800',
    received: '500',
  },
  {
    rule: 'too many rollback alarms are listed',
    edits: [
      [[...E, 'deployment', 'autoRollback'], { alarmNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] }],
    ],
    path: 'endpoints[0].deployment.autoRollback.alarmNames',
    expected: 'expected at most 8 extra alarms',
    received: '["a","b","c","d","e","f","g","h","i"]',
  },
  // Notifications and audit
  {
    rule: 'an email address is malformed',
    edits: [[['notifications', 'emails'], ['ml-oncall']]],
    path: 'notifications.emails[0]',
    expected: 'expected an email address',
    received: '"ml-oncall"',
  },
  {
    rule: 'a webhook is plain http',
    edits: [[['notifications', 'httpsEndpoints'], ['http://hooks.example.com/x']]],
    path: 'notifications.httpsEndpoints[0]',
    expected: 'expected an https:// URL',
    received: '"http://hooks.example.com/x"',
  },
  {
    rule: 'the topic is not an SNS topic ARN',
    edits: [[['notifications', 'existingTopicArn'], 'arn:aws:sqs:us-east-1:123456789012:queue']],
    path: 'notifications.existingTopicArn',
    expected: 'expected an SNS topic ARN',
    received: '"arn:aws:sqs:us-east-1:123456789012:queue"',
  },
  {
    rule: 'Object Lock is combined with an existing audit location',
    edits: [[['audit', 's3Uri'], 's3://example-ml-data/audit/']],
    path: 'audit.objectLock',
    expected: 'expected no objectLock together with s3Uri',
    received: '{"mode":"GOVERNANCE","retentionDays":365}',
  },
  {
    rule: 'the retention is 0 days',
    edits: [[['audit', 'objectLock', 'retentionDays'], 0]],
    path: 'audit.objectLock.retentionDays',
    expected: 'expected an integer between 1 and 36500',
    received: '0',
  },
];

describe('parseMonitorConfig', () => {
  it('computes a valid configuration from the full example', () => {
    // Given the committed full example
    // When it is validated
    const config = parseMonitorConfig(FULL, 'driftwatch.config.json');
    // Then it parses, with values written in the file and values derived from it
    const endpoint = config.endpoints[0];
    expect(endpoint?.name).toBe('churn-endpoint');
    expect(endpoint?.variants).toEqual([{ name: 'AllTraffic' }]);
    expect(endpoint?.features.map((feature) => feature.name)).toEqual(['custserv_calls', 'intl_plan']);
    expect(endpoint?.retraining?.training.hyperparameters).toEqual({
      objective: 'binary:logistic',
      max_depth: '5',
      eta: '0.2',
      num_round: '100',
    });
    expect(endpoint?.modelQuality?.thresholds).toEqual({
      auc: { threshold: 0.8, comparisonOperator: 'LessThanThreshold' },
      f1: { threshold: 0.6, comparisonOperator: 'LessThanThreshold' },
    });
    expect(endpoint?.deployment?.trafficRouting).toEqual({
      type: 'CANARY',
      canarySizePercent: 10,
      waitIntervalSeconds: 600,
    });
  });

  it('computes every default for the minimal example', () => {
    // Given the committed minimal example (one endpoint with name, capture and baseline)
    // When it is validated
    const config = parseMonitorConfig(MINIMAL, 'minimal.config.json');
    // Then every section is filled in with the documented defaults
    expect(config).toEqual({
      $schema: '../schema/driftwatch-config.schema.json',
      version: 1,
      stackName: 'Driftwatch',
      tags: {},
      defaults: {
        drift: { method: 'auto', minSamples: 30, auto: { alpha: 0.01, minEffect: 0.1 } },
        dataQuality: {},
        profile: { categoricalTopK: 100, sketchK: 2048 },
      },
      endpoints: [
        {
          name: 'churn-endpoint',
          variants: [{ name: 'AllTraffic' }],
          monitoringScheduleName: 'churn-endpoint-driftwatch',
          modelPackageGroupName: 'churn-endpoint',
          capture: { s3Uri: 's3://example-ml-data/datacapture', existingBucket: true },
          baseline: { s3Uri: 's3://example-ml-data/baselines/churn-endpoint/' },
          reports: {},
          payload: {
            input: { format: 'auto' },
            output: { format: 'auto' },
            maxObjectBytes: 5 * 1024 ** 3,
            maxLineBytes: 64 * 1024 ** 2,
          },
          features: [],
          drift: {},
          dataQuality: {},
          schedule: { evaluateExpression: 'rate(1 hour)', timezone: 'UTC', windowHours: 1, delayMinutes: 15 },
          alarms: {
            featureDrift: { enabled: true, periodMinutes: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
            driftedFeatureShare: {
              enabled: true,
              periodMinutes: 60,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              threshold: 0.3,
            },
            violations: {
              enabled: true,
              periodMinutes: 60,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              threshold: 1,
            },
            modelQuality: { enabled: true, periodMinutes: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
            rejectedRecordRate: {
              enabled: true,
              periodMinutes: 60,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              threshold: 0.05,
            },
            ingestErrors: {
              enabled: true,
              periodMinutes: 5,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              threshold: 1,
            },
            dlqDepth: {
              enabled: true,
              periodMinutes: 5,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              threshold: 1,
            },
            modelLatencyP99Micros: {
              enabled: false,
              periodMinutes: 5,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
            },
            invocation5xxErrors: {
              enabled: true,
              periodMinutes: 5,
              evaluationPeriods: 1,
              datapointsToAlarm: 1,
              threshold: 1,
            },
            retrain: { enabled: true, rule: 'drift_only' },
          },
        },
      ],
      notifications: { emails: [], httpsEndpoints: [] },
      audit: {},
    });
  });

  it('computes the defaults inside optional sections once they are present', () => {
    // Given the minimal example with the optional sections reduced to their required fields
    const doc = edited(MINIMAL, [
      [['endpoints', 0, 'groundTruth'], { s3Uri: 's3://example-ml-data/gt' }],
      [
        ['endpoints', 0, 'modelQuality'],
        { problemType: 'Regression', thresholds: { rmse: { threshold: 3 }, r2: { threshold: 0.5 } } },
      ],
      [['endpoints', 0, 'gate'], { floors: { r2: 0.4 } }],
      [
        ['endpoints', 0, 'retraining'],
        {
          training: {
            algorithmName: 'my-algorithm',
            channels: [{ name: 'train', s3Uri: 's3://example-ml-data/train/' }],
            outputS3Uri: 's3://example-ml-data/models/',
          },
          evaluation: { holdoutS3Uri: 's3://example-ml-data/holdout/' },
        },
      ],
      [['endpoints', 0, 'deployment'], {}],
      [['audit'], { objectLock: { retentionDays: 30 } }],
    ]);
    // When it is validated
    const config = parseMonitorConfig(doc);
    const endpoint = config.endpoints[0];
    // Then each present section has its defaults, and comparison operators follow the metric's direction
    expect(endpoint?.groundTruth).toEqual({
      s3Uri: 's3://example-ml-data/gt',
      lookbackHours: 24,
      mergeExpression: 'rate(1 hour)',
    });
    expect(endpoint?.modelQuality).toEqual({
      problemType: 'Regression',
      probabilityThreshold: 0.5,
      minSamples: 30,
      thresholds: {
        rmse: { threshold: 3, comparisonOperator: 'GreaterThanThreshold' },
        r2: { threshold: 0.5, comparisonOperator: 'LessThanThreshold' },
      },
    });
    expect(endpoint?.gate).toEqual({
      floors: { r2: 0.4 },
      maxRegression: {},
      minImprovement: {},
      bootstrap: { samples: 1000, seed: 42, confidence: 0.95 },
      mcnemarAlpha: 0.05,
    });
    expect(endpoint?.retraining).toEqual({
      enabled: true,
      cooldownHours: 24,
      training: {
        algorithmName: 'my-algorithm',
        instanceType: 'ml.m5.xlarge',
        instanceCount: 1,
        volumeSizeGb: 30,
        maxRuntimeSeconds: 86_400,
        hyperparameters: {},
        channels: [{ name: 'train', s3Uri: 's3://example-ml-data/train/', inputMode: 'File' }],
        outputS3Uri: 's3://example-ml-data/models/',
      },
      evaluation: {
        mode: 'batch-transform',
        holdoutS3Uri: 's3://example-ml-data/holdout/',
        contentType: 'text/csv',
        labelColumnIndex: 0,
        instanceType: 'ml.m5.xlarge',
        instanceCount: 1,
      },
      approval: 'PendingManualApproval',
    });
    expect(endpoint?.deployment).toEqual({
      enabled: true,
      trafficRouting: { type: 'ALL_AT_ONCE', waitIntervalSeconds: 300 },
      terminationWaitSeconds: 300,
      maximumExecutionTimeoutSeconds: 3600,
      autoRollback: { enabled: true, alarmNames: [] },
      pollIntervalSeconds: 60,
      maxPolls: 120,
      rotateBaseline: true,
    });
    expect(config.audit).toEqual({ objectLock: { mode: 'GOVERNANCE', retentionDays: 30 } });
  });

  it.each(RULES)('throws when $rule', ({ base, edits, path, expected, received }) => {
    // Given a valid document edited to break one rule
    const doc = edited(base ?? FULL, edits);
    // When it is validated
    const error = rejection(() => parseMonitorConfig(doc, 'test.json'));
    // Then one line of the message names the source and path, states the expectation and shows what was received
    const line = error.message.split('\n').find((candidate) => candidate.startsWith(`test.json: ${path}: `));
    expect(line, error.message).toBeDefined();
    expect(line).toContain(expected);
    expect(line).toContain(received === undefined ? ', but it is missing' : `, received ${received}`);
    const issue = error.issues.find(
      (candidate) => candidate.path === path && candidate.message.includes(expected),
    );
    expect(issue).toBeDefined();
    expect(issue !== undefined && 'received' in issue).toBe(received !== undefined);
  });

  it('computes one issue per problem when several rules are broken', () => {
    // Given a document with three independent problems
    const doc = edited(FULL, [
      [['version'], 3],
      [['endpoints', 0, 'schedule', 'windowHours'], 0],
      [['notifications', 'emails'], ['x']],
    ]);
    // When it is validated
    const error = rejection(() => parseMonitorConfig(doc, 'test.json'));
    // Then all three are reported, each on its own line
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'version',
      'endpoints[0].schedule.windowHours',
      'notifications.emails[0]',
    ]);
    expect(error.message.split('\n')).toHaveLength(3);
    expect(error.name).toBe('ConfigValidationError');
    expect(error.source).toBe('test.json');
  });

  it('throws when the document is not an object', () => {
    // Given a JSON array instead of an object
    // When it is validated without a source name
    const error = rejection(() => parseMonitorConfig([]));
    // Then the root is named and the default source label is used
    expect(error.message).toBe('config: (root): expected an object, received []');
  });

  it('throws when many problems exist, listing the first 50 and counting the rest', () => {
    // Given 60 unknown keys
    const doc = edited(
      MINIMAL,
      Array.from({ length: 60 }, (_, index): Edit => [[`unknown${index}`], index]),
    );
    // When it is validated
    const error = rejection(() => parseMonitorConfig(doc, 'test.json'));
    // Then every issue is kept but the message stays readable
    expect(error.issues).toHaveLength(60);
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[50]).toBe('test.json: ... and 10 more problems');
  });
});

describe('parseMonitorConfigText', () => {
  it('computes the same configuration as parseMonitorConfig for both examples', () => {
    // Given the committed example files as text
    for (const name of ['driftwatch.config.json', 'minimal.config.json']) {
      const text = exampleText(name);
      // When the text is parsed
      const config = parseMonitorConfigText(text, name);
      // Then it equals the validation of the parsed value
      expect(config).toEqual(parseMonitorConfig(JSON.parse(text), name));
    }
  });

  it('throws when a value is invalid, with the line and column of the value', () => {
    // Given a document whose threshold is a string on line 6
    const text = [
      '{',
      '  "version": 1,',
      '  "endpoints": [{',
      '    "name": "churn-endpoint",',
      '    "capture": { "s3Uri": "s3://example-ml-data/c" }, "baseline": { "s3Uri": "s3://example-ml-data/b" },',
      '    "dataQuality": { "comparisonThreshold": "abc" }',
      '  }]',
      '}',
    ].join('\n');
    // When it is parsed
    const error = rejection(() => parseMonitorConfigText(text, 'churn.json'));
    // Then the message has the source, path, expectation, received value and position
    expect(error.message).toBe(
      'churn.json: endpoints[0].dataQuality.comparisonThreshold: expected a number between 0 and 1, received "abc" ' +
        '(line 6, column 45)',
    );
    expect(error.issues).toEqual([
      {
        path: 'endpoints[0].dataQuality.comparisonThreshold',
        message: 'expected a number between 0 and 1',
        received: 'abc',
        line: 6,
        column: 45,
      },
    ]);
  });

  it('throws when a field is missing, with the position of the nearest enclosing value', () => {
    // Given an endpoint without a baseline, starting on line 3 column 17
    const text =
      '{\n  "version": 1,\n  "endpoints": [{ "name": "e", "capture": { "s3Uri": "s3://example-ml-data/c" } }]\n}';
    // When it is parsed
    const error = rejection(() => parseMonitorConfigText(text, 'e.json'));
    // Then the endpoint object is pointed at
    expect(error.message).toBe(
      'e.json: endpoints[0].baseline: expected an object, but it is missing (line 3, column 17)',
    );
  });

  it.each([
    [
      '{"version": 1,}',
      'line 1, column 15: invalid JSON: expected a double-quoted property name (JSON allows no trailing comma)',
      '"}"',
    ],
    [
      '{\n  "version": 1\n  "endpoints": []\n}',
      'line 3, column 3: invalid JSON: expected "," between values',
      'the string "endpoints"',
    ],
    ['', 'line 1, column 1: invalid JSON: expected a JSON value (the document is empty)', 'end of input'],
    [
      '{"version": 1, "version": 1}',
      'line 1, column 16: invalid JSON: expected each property name once per object',
      'duplicate key "version"',
    ],
    ['{\n\t"version": 1\n}\n}', 'line 4, column 1: invalid JSON: expected the end of the document', '"}"'],
  ])('throws when the JSON text is %j, with line and column', (text, expected, received) => {
    // Given malformed JSON
    // When it is parsed
    const error = rejection(() => parseMonitorConfigText(text, 'bad.json'));
    // Then a single issue carries the position, the expectation and what was found
    expect(error.issues).toHaveLength(1);
    expect(error.message.startsWith(`bad.json: ${expected}`)).toBe(true);
    expect(error.message.endsWith(`, received ${received}`)).toBe(true);
  });
});

describe('formatIssue', () => {
  it.each([
    [{ path: 'a.b', message: 'expected x', received: 1 }, 's: a.b: expected x, received 1'],
    [{ path: 'a.b', message: 'expected x' }, 's: a.b: expected x, but it is missing'],
    [
      { path: 'a', message: 'expected x', received: null, line: 2, column: 3 },
      's: a: expected x, received null (line 2, column 3)',
    ],
    [
      { path: '', message: 'invalid JSON: expected y, received "z"', line: 4, column: 5 },
      's: line 4, column 5: invalid JSON: expected y, received "z"',
    ],
    [
      { path: 'a', message: 'expected x', received: 'y'.repeat(100) },
      `s: a: expected x, received "${'y'.repeat(76)}...`,
    ],
  ])('computes the line for %j', (issue, expected) => {
    // Given an issue
    // When it is formatted for source "s"
    // Then the line follows the documented layout
    expect(formatIssue('s', issue)).toBe(expected);
  });
});
