import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/constructs/function-bundling.js';
import { cdkJsonContext } from './support.js';

/**
 * Runs bin/app.ts as the CDK CLI does (context and output directory in the environment). `validation` runs the
 * synthesis validation, cdk-nag's plugin included, as `cdk synth` does; off by default to keep runs short.
 */
function runApp(context: Record<string, unknown>, validation = false) {
  const outdir = mkdtempSync(join(tmpdir(), 'driftwatch-app-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      ...(validation ? {} : { CDK_VALIDATION: 'false' }),
      CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context }),
    },
  });
  return { ...result, outdir };
}

describe('bin/app.ts', () => {
  it('computes the example stacks when no configuration is given', () => {
    // Given no -c config (and no cdk-nag, to keep the run short; the nag check has its own test)
    // When the app runs
    const result = runApp({ nag: 'false' });
    // Then it synthesizes the example's monitoring stack and its lifecycle stack with both workflows
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const template = JSON.parse(
      readFileSync(join(result.outdir, 'DriftwatchChurn-Monitoring.template.json'), 'utf8'),
    );
    expect(Object.keys(template.Resources).length).toBeGreaterThan(30);
    const lifecycle = JSON.parse(
      readFileSync(join(result.outdir, 'DriftwatchChurn-Lifecycle.template.json'), 'utf8'),
    ) as { Resources: Record<string, { Type: string }> };
    const stateMachines = Object.keys(lifecycle.Resources).filter(
      (id) => lifecycle.Resources[id]?.Type === 'AWS::StepFunctions::StateMachine',
    );
    expect(stateMachines).toEqual(
      expect.arrayContaining([expect.stringMatching(/Retraining/), expect.stringMatching(/Deployment/)]),
    );
  });

  it.each([
    ['examples/minimal.config.json', ['Driftwatch-Monitoring']],
    ['examples/demo.config.json', ['DriftwatchDemo-Monitoring', 'DriftwatchDemo-Lifecycle']],
  ])('computes %s with cdk-nag and no finding: stacks %j', (config, stacks) => {
    // Given an example configuration (the minimal one monitors only: no retraining, no deployment)
    // When the app runs with the AwsSolutions checks, as `cdk synth -c config=<file>` does
    const result = runApp({ config }, true);
    // Then it succeeds (a finding fails synthesis), writes exactly these stacks, and the validation report that
    // cdk-nag's plugin writes into has no violation
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const templates = readdirSync(result.outdir)
      .filter((name) => name.endsWith('.template.json'))
      .map((name) => name.replace(/\.template\.json$/, ''));
    expect(templates.sort()).toEqual([...stacks].sort());
    const report = JSON.parse(readFileSync(join(result.outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: { violations: unknown[] }[];
    };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });

  it('throws when the configuration is invalid: exit code 1 and the problem with its line', () => {
    // Given -c config=<a file with windowHours 0>
    // When the app runs
    const result = runApp({ config: 'test/fixtures/infra/invalid.config.json' });
    // Then it exits 1 with the problem, and writes no template
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('driftwatch: the monitor configuration is invalid:');
    expect(result.stderr).toMatch(
      /endpoints\[0\]\.schedule\.windowHours: expected an integer between 1 and 8760/,
    );
    expect(existsSync(join(result.outdir, 'manifest.json'))).toBe(false);
  });
});
