import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnResource, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError } from '../../functions/core/config/index.js';
import { PROJECT_ROOT } from '../../lib/constructs/function-bundling.js';
import { buildMonitoringApp, DEFAULT_CONFIG_FILE } from '../../lib/monitoring-app.js';
import { exampleApp, testApp } from './support.js';

const CONFIGS = [undefined, 'test/fixtures/infra/created-buckets.config.json'] as const;

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/** Synthesizes the app with cdk-nag registered and reads cdk.out/validation-report.json. */
function nagReport(configFile: string | undefined): { report: ValidationReport; synthError: unknown } {
  const outdir = mkdtempSync(join(tmpdir(), 'driftwatch-nag-'));
  const { app } = exampleApp({ nag: true, outdir, configFile });
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  return { report: JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')), synthError };
}

function acknowledgements(configFile: string | undefined) {
  const { app, monitoringStack } = exampleApp({ configFile });
  const found = monitoringStack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          construct,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
  return { app, monitoringStack, found };
}

describe('buildMonitoringApp', () => {
  it('computes the monitoring stack of the configuration, tagged as configured', () => {
    // Given the example configuration (stackName DriftwatchChurn, tags team and cost-center)
    // When the app is built
    const { monitoringStack, config, template } = exampleApp();
    // Then the stack is named from stackName and every taggable resource carries the tags
    expect(monitoringStack.stackName).toBe(`${config.stackName}-Monitoring`);
    expect(monitoringStack.tags.tagValues()).toEqual({ team: 'ml-platform', 'cost-center': '1234' });
    template().hasResourceProperties('AWS::Lambda::Function', {
      Tags: [
        { Key: 'cost-center', Value: '1234' },
        { Key: 'team', Value: 'ml-platform' },
      ],
    });
  });

  it('computes the example configuration as the default', () => {
    // Given no -c config
    // When the default is asked for / Then it is the example under examples/
    expect(DEFAULT_CONFIG_FILE).toBe(join(PROJECT_ROOT, 'examples', 'driftwatch.config.json'));
  });

  it('throws when the configuration is invalid, naming the field and its line', () => {
    // Given a configuration with windowHours 0
    const configFile = join(PROJECT_ROOT, 'test/fixtures/infra/invalid.config.json');
    // When the app is built / Then a ConfigValidationError names the file, the path and the line
    expect(() => buildMonitoringApp(testApp(), { configFile, nag: false })).toThrow(ConfigValidationError);
    expect(() => buildMonitoringApp(testApp(), { configFile, nag: false })).toThrow(
      /invalid\.config\.json: endpoints\[0\]\.schedule\.windowHours: .*\(line 8, column 36\)/,
    );
  });
});

describe.each(CONFIGS)('cdk-nag AwsSolutions on the app (config %s)', (configFile) => {
  it('computes a validation report with no unacknowledged finding', () => {
    // Given the app as bin/app.ts builds it, with the AwsSolutions checks registered
    // When it is synthesized
    const { report, synthError } = nagReport(configFile);
    // Then cdk.out/validation-report.json lists no violation and synthesis succeeded
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map(
          (construct) => `${violation.ruleName} at ${construct.constructPath}`,
        ),
      ),
    );
    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
  });

  it('computes every acknowledgement on one CloudFormation resource, with a reason, for a real finding', () => {
    // Given every acknowledgement in the construct tree, and every finding cdk-nag makes when it ignores them
    const { app, monitoringStack, found } = acknowledgements(configFile);
    const pack = new AwsSolutionsChecks(app);
    (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const raw = pack.validateScope(monitoringStack) as unknown as {
      violations: { ruleName: string; violatingResources: { constructPath: string }[] }[];
    };
    const findings = new Set(
      raw.violations.flatMap((v) =>
        v.violatingResources.map((resource) => `${resource.constructPath} ${v.ruleName}`),
      ),
    );
    // When each acknowledgement is checked
    const problems = found.flatMap(({ construct, id, reason }) => [
      ...(CfnResource.isCfnResource(construct)
        ? []
        : [`${construct.node.path}: ${id} is not on a CloudFormation resource`]),
      ...(reason.length >= 30 ? [] : [`${construct.node.path}: ${id} has no real reason`]),
      ...(findings.has(`${construct.node.path} ${id}`)
        ? []
        : [`${construct.node.path}: ${id} acknowledges nothing`]),
    ]);
    // Then each sits on one resource, explains itself and matches a finding there
    expect(found.length).toBeGreaterThan(5);
    expect(problems).toEqual([]);
    expect(findings.size).toBe(found.length);
  });
});
