// The one real synth of the unit tests: esbuild bundling of both handlers, CloudFormation's built-in validation and
// cdk-nag, as `npm run synth` does it (STACK-NOTES G1, G2 explain why the other tests skip these).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_CONFIG_FILE } from '../../functions/shared/env.js';
import { PROJECT_ROOT } from '../../lib/constructs/function-bundling.js';
import { buildMonitoringApp } from '../../lib/monitoring-app.js';
import { EXAMPLE_CONFIG_FILE, testApp } from './support.js';

interface FunctionResource {
  Type: string;
  Properties: { Code: { S3Key?: string }; Environment?: { Variables?: Record<string, unknown> } };
}

/**
 * Imports a bundle in a fresh Node process, like Lambda does, and invokes its handler with `event`. The bundle is
 * copied under the project (test-output/, git-ignored) so that the AWS SDK, which Lambda's runtime provides and the
 * bundle leaves external, resolves from node_modules.
 */
function invokeBundle(assetDir: string, event: unknown, env: Record<string, string>) {
  const copy = join(PROJECT_ROOT, 'test-output', 'bundles', basename(assetDir));
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(dirname(copy), { recursive: true });
  cpSync(assetDir, copy, { recursive: true });
  const bundle = join(copy, 'index.mjs');
  const script = `
    const { handler } = await import(${JSON.stringify(bundle)});
    const context = { functionName: 'f', awsRequestId: 'r', invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:f',
      memoryLimitInMB: '1024', functionVersion: '$LATEST', getRemainingTimeInMillis: () => 60000 };
    try {
      const result = await handler(${JSON.stringify(event)}, context);
      process.stderr.write('RESULT ' + JSON.stringify(result) + '\\n');
    } catch (error) {
      process.stderr.write('ERROR ' + JSON.stringify({ name: error.name, message: error.message }) + '\\n');
    }`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      ...env,
    },
  });
  const line = result.stderr
    .split('\n')
    .find((text) => text.startsWith('RESULT ') || text.startsWith('ERROR '));
  if (line === undefined) {
    throw new Error(`the bundle did not run: ${result.stderr}`);
  }
  return {
    kind: line.slice(0, line.indexOf(' ')),
    value: JSON.parse(line.slice(line.indexOf(' ') + 1)) as unknown,
  };
}

describe('npm run synth (bundled, validated, nag)', () => {
  let outdir = '';
  let bundles: { id: string; dir: string; resource: FunctionResource }[] = [];

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'driftwatch-synth-'));
    const app = testApp({ bundle: true, validation: true, outdir });
    const { monitoringStack } = buildMonitoringApp(app, { configFile: EXAMPLE_CONFIG_FILE });
    app.synth();
    const template = JSON.parse(
      readFileSync(join(outdir, `${monitoringStack.stackName}.template.json`), 'utf8'),
    ) as {
      Resources: Record<string, FunctionResource>;
    };
    bundles = Object.entries(template.Resources)
      .filter(
        ([, resource]) =>
          resource.Type === 'AWS::Lambda::Function' && resource.Properties.Code.S3Key !== undefined,
      )
      .map(([id, resource]) => ({
        id,
        dir: join(outdir, `asset.${resource.Properties.Code.S3Key?.replace(/\.zip$/, '')}`),
        resource,
      }));
  });

  const bundleOf = (prefix: string) => {
    const found = bundles.find((bundle) => bundle.id.startsWith(prefix));
    if (found === undefined) {
      throw new Error(`no bundled function ${prefix}`);
    }
    return found;
  };
  const env = (resource: FunctionResource) =>
    Object.fromEntries(
      Object.entries(resource.Properties.Environment?.Variables ?? {}).filter(
        ([, value]) => typeof value === 'string',
      ),
    ) as Record<string, string>;

  it('computes ESM bundles of both handlers with the configuration beside them', () => {
    // Given the synthesized cloud assembly
    // When the function assets are read
    const ingest = bundleOf('churnendpointIngestionIngestFunction');
    const evaluate = bundleOf('churnendpointEvaluationEvaluateFunction');
    // Then each holds index.mjs (ESM with the createRequire banner) and the example configuration, byte for byte
    for (const bundle of [ingest, evaluate]) {
      const code = readFileSync(join(bundle.dir, 'index.mjs'), 'utf8');
      expect(
        code.startsWith("import { createRequire as __driftwatchCreateRequire } from 'node:module';"),
      ).toBe(true);
      expect(readFileSync(join(bundle.dir, BUNDLED_CONFIG_FILE), 'utf8')).toBe(
        readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'),
      );
    }
  });

  it('computes an ingest bundle that loads its bundled configuration and skips a foreign object', () => {
    // Given the ingest bundle and the environment the stack gives it
    const ingest = bundleOf('churnendpointIngestionIngestFunction');
    // When it is invoked directly with an object of another bucket (no S3 call is needed to skip it)
    const outcome = invokeBundle(
      ingest.dir,
      { bucket: 'another-bucket', key: 'a/b.jsonl' },
      env(ingest.resource),
    );
    // Then it read the configuration beside it (the capture bucket comes from there) and skipped the object
    expect(outcome).toEqual({
      kind: 'RESULT',
      value: expect.objectContaining({
        skipped: 1,
        objects: [expect.objectContaining({ status: 'skipped', reason: 'not-capture-bucket' })],
      }),
    });
  });

  it('computes a merge-ground-truth bundle that loads its configuration and skips a foreign object', () => {
    // Given the merge-ground-truth bundle (the example endpoint has groundTruth and modelQuality)
    const merge = bundleOf('churnendpointQualityMergeFunction');
    expect(readFileSync(join(merge.dir, BUNDLED_CONFIG_FILE), 'utf8')).toBe(
      readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'),
    );
    // When it is invoked with an object outside the ground-truth prefix (no S3 call is needed to skip it)
    const outcome = invokeBundle(
      merge.dir,
      { bucket: 'example-ml-data', key: 'datacapture/churn-endpoint/x.jsonl' },
      env(merge.resource),
    );
    // Then the configuration's groundTruth.s3Uri decided, and nothing was evaluated
    expect(outcome).toEqual({
      kind: 'RESULT',
      value: {
        windows: [],
        skipped: [
          expect.objectContaining({ reason: 'not-ground-truth', key: 'datacapture/churn-endpoint/x.jsonl' }),
        ],
      },
    });
  });

  it('throws when the event has no accepted shape, with the error class name kept through minification', () => {
    // Given the evaluate bundle
    const evaluate = bundleOf('churnendpointEvaluationEvaluateFunction');
    // When it is invoked with an event of no accepted shape
    const outcome = invokeBundle(evaluate.dir, { windowEnd: 7 }, env(evaluate.resource));
    // Then the error keeps its class name
    expect(outcome).toEqual({ kind: 'ERROR', value: expect.objectContaining({ name: 'InvalidEventError' }) });
  });
});
