/**
 * `npm run demo`: the engine's main job on this machine, no AWS account needed.
 *
 * 1. Builds a baseline from the training data of a real model (AWS's Model Monitor data-quality demo,
 *    examples/data/marketplace-baseline.csv, Apache-2.0) with the target column left out.
 * 2. Turns the inference data that demo designed to break the model (examples/data/marketplace-drift.csv)
 *    into SageMaker data-capture files, one per hour, as an endpoint with capture enabled writes them.
 * 3. Runs the drift and data-quality checks over those capture files, writing Model Monitor's
 *    constraint_violations.json and statistics.json, and prints the report.
 *
 * `--fast` is accepted for CI (the demo is already fast); `--out DIR` keeps the files.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineCommand, driftCommand } from '../functions/cli/commands.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const work =
  outIndex >= 0 && args[outIndex + 1]
    ? (args[outIndex + 1] as string)
    : await mkdtemp(join(tmpdir(), 'driftwatch-demo-'));
const here = new URL('../examples/data/', import.meta.url);

const say = (s: string) => process.stdout.write(`${s}\n`);

say('driftwatch demo: baseline -> SageMaker capture files -> drift and data-quality check (all local)\n');

// 1. Baseline
const baselineDir = join(work, 'baseline');
const built = await baselineCommand({
  input: new URL('marketplace-baseline.csv', here).pathname,
  out: baselineDir,
  target: 'target',
});
say(`1. ${built.stdout.trim().split('\n')[0]}`);

// 2. Capture files: 32 CSV rows per hourly file, as the endpoint's DataCaptureConfig would write them.
const rows = (await readFile(new URL('marketplace-drift.csv', here), 'utf8')).trim().split('\n');
const captureDir = join(work, 'capture', 'marketplace-endpoint', 'AllTraffic');
const start = Date.UTC(2026, 10, 26, 0, 0, 0);
let files = 0;
for (let i = 0; i < rows.length; i += 32) {
  const hour = new Date(start + files * 3_600_000);
  const iso = hour.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const dir = join(captureDir, iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13));
  await mkdir(dir, { recursive: true });
  const lines = rows.slice(i, i + 32).map((data) =>
    JSON.stringify({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data, encoding: 'CSV' },
        endpointOutput: {
          observedContentType: 'text/csv; charset=utf-8',
          mode: 'OUTPUT',
          data: '0.5',
          encoding: 'CSV',
        },
      },
      eventMetadata: { eventId: randomUUID(), inferenceTime: iso },
      eventVersion: '0',
    }),
  );
  await writeFile(
    join(dir, `${String(files).padStart(2, '0')}-00-000-${randomUUID()}.jsonl`),
    `${lines.join('\n')}\n`,
  );
  files += 1;
}
say(`2. wrote ${rows.length} inference records as ${files} hourly capture files under ${captureDir}`);

// 3. Drift check
const reportDir = join(work, 'report');
const drift = await driftCommand({
  inputs: [captureDir],
  baseline: baselineDir,
  format: 'text',
  out: reportDir,
});
say(`3. drift check (exit code ${drift.exitCode}: 0 no drift, 1 drift or violations, 2 error)\n`);
say(drift.stdout);
say(
  `Model Monitor files: ${join(reportDir, 'constraint_violations.json')}, ${join(reportDir, 'statistics.json')}`,
);
say(`JSON report: ${join(reportDir, 'drift-report.json')}`);
say('\nSame check in CI: npx driftwatch drift --baseline <dir> <capture dir> --format json');
