import type { Command } from 'commander';

/**
 * `driftwatch demo`: the same run as `npm run demo` (scripts/demo/main.ts). Loaded only when asked for, so the
 * other commands never load s3rver, the CDK app or the local state-machine runner.
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run the whole loop locally: capture, drift, alarms, retraining, gate, blue/green deployment, audit (no AWS)',
    )
    .option('--fast', 'fewer, smaller hours (about 4 s)')
    .option('--out <dir>', 'where the HTML report and the audit copy go (default: a new temp directory)')
    .action(async (o: { fast?: boolean; out?: string }) => {
      const { demoMain } = await import('../../scripts/demo/main.js');
      const { exitCode } = await demoMain({ fast: o.fast === true, ...(o.out ? { out: o.out } : {}) });
      if (exitCode !== 0) process.exitCode = exitCode;
    });
}
