import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineCommand, driftCommand, EXIT, reportCommand } from '../../functions/cli/commands.js';
import type { FailOn } from '../../functions/core/report/verdict.js';

const run = promisify(execFile);
const MARKETPLACE = 'test/fixtures/drift-datasets/marketplace-data-quality';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'driftwatch-report-cli-'));
}

/** Runs the real binary; resolves with the exit code, stdout and stderr whatever the code. */
async function driftwatch(args: string[], env: Record<string, string> = {}) {
  return run('node', ['bin/driftwatch.js', ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 })
    .then((r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }));
}

let baselineDir: string;
/** Inputs with drift and violations, and with violations only (the training CSV still has its target). */
const DRIFTED = `${MARKETPLACE}/data_quality_drift.csv`;
const VIOLATIONS_ONLY = `${MARKETPLACE}/baseline.csv`;

beforeAll(async () => {
  baselineDir = await tmp();
  await baselineCommand({ input: `${MARKETPLACE}/baseline.csv`, out: baselineDir, target: 'target' });
});

describe('driftwatch drift --fail-on', () => {
  it.each<[string, string, FailOn | undefined, number]>([
    ['drift and violations', DRIFTED, undefined, EXIT.drift],
    ['drift and violations', DRIFTED, 'violations', EXIT.drift],
    ['drift and violations', DRIFTED, 'drift', EXIT.drift],
    ['drift and violations', DRIFTED, 'none', EXIT.ok],
    ['violations only', VIOLATIONS_ONLY, undefined, EXIT.drift],
    ['violations only', VIOLATIONS_ONLY, 'violations', EXIT.drift],
    ['violations only', VIOLATIONS_ONLY, 'drift', EXIT.ok],
    ['violations only', VIOLATIONS_ONLY, 'none', EXIT.ok],
  ])('computes the exit code for %s with --fail-on %s', async (_, input, failOn, expected) => {
    const result = await driftCommand({
      inputs: [input],
      baseline: baselineDir,
      format: 'text',
      ...(failOn ? { failOn } : {}),
    });
    expect(result.exitCode).toBe(expected);
  });
});

describe('driftwatch drift --format', () => {
  it('computes Markdown and appends it to the GitHub step summary file', async () => {
    // Given: a summary file that already holds an earlier step's output
    const summary = join(await tmp(), 'summary.md');
    await writeFile(summary, '# earlier step\n');
    // When
    const result = await driftCommand({
      inputs: [DRIFTED],
      baseline: baselineDir,
      format: 'markdown',
      stepSummary: summary,
    });
    // Then
    expect(result.stdout).toMatch(/^## ❌ Drift detected/);
    expect(await readFile(summary, 'utf8')).toBe(`# earlier step\n${result.stdout}\n`);
  });

  it('computes no step summary for the other formats', async () => {
    const summary = join(await tmp(), 'summary.md');
    await driftCommand({ inputs: [DRIFTED], baseline: baselineDir, format: 'junit', stepSummary: summary });
    await expect(readFile(summary, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('computes JUnit XML and a self-contained HTML page', async () => {
    const junit = await driftCommand({ inputs: [DRIFTED], baseline: baselineDir, format: 'junit' });
    expect(junit.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites>/);
    const html = await driftCommand({ inputs: [DRIFTED], baseline: baselineDir, format: 'html' });
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('Chart.js v4');
  });
});

describe('driftwatch report', () => {
  let saved: string;
  beforeAll(async () => {
    const out = await tmp();
    await driftCommand({ inputs: [DRIFTED], baseline: baselineDir, format: 'json', out });
    saved = join(out, 'drift-report.json');
  });

  it('computes the same text and Markdown from the saved report as the drift run printed', async () => {
    for (const format of ['text', 'markdown'] as const) {
      const live = await driftCommand({ inputs: [DRIFTED], baseline: baselineDir, format });
      const rendered = await reportCommand({ input: saved, format });
      expect(rendered.stdout).toBe(live.stdout);
    }
  });

  it('computes exit 0 by default and honours --fail-on', async () => {
    expect((await reportCommand({ input: saved, format: 'text' })).exitCode).toBe(EXIT.ok);
    expect((await reportCommand({ input: saved, format: 'text', failOn: 'violations' })).exitCode).toBe(
      EXIT.drift,
    );
    expect((await reportCommand({ input: saved, format: 'text', failOn: 'drift' })).exitCode).toBe(
      EXIT.drift,
    );
  });

  it('throws when the file is not a drift report, naming the file and the field', async () => {
    const bad = join(await tmp(), 'statistics.json');
    await writeFile(bad, JSON.stringify({ version: 0, dataset: { item_count: 1 }, features: [] }));
    await expect(reportCommand({ input: bad, format: 'text' })).rejects.toThrow(
      expect.objectContaining({ name: 'InputError', message: expect.stringContaining(`${bad}: format`) }),
    );
  });
});

describe('driftwatch report (binary)', () => {
  let saved: string;
  beforeAll(async () => {
    const out = await tmp();
    await driftCommand({ inputs: [DRIFTED], baseline: baselineDir, format: 'json', out });
    saved = join(out, 'drift-report.json');
  });

  it('computes each format, and the exit code --fail-on asks for', async () => {
    const env = { GITHUB_STEP_SUMMARY: '' };
    for (const [format, start] of [
      ['text', /^DRIFT: 3 of 28 features drifted/],
      ['markdown', /^## ❌ Drift detected/],
      ['junit', /^<\?xml/],
      ['html', /^<!doctype html>/],
    ] as const) {
      const r = await driftwatch(['report', saved, '--format', format], env);
      expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(start) });
    }
    expect((await driftwatch(['report', saved, '--fail-on', 'violations'], env)).code).toBe(1);
  });

  it('computes the job summary: Markdown appended to $GITHUB_STEP_SUMMARY unless --no-step-summary', async () => {
    const summary = join(await tmp(), 'summary.md');
    const env = { GITHUB_STEP_SUMMARY: summary };
    const first = await driftwatch(
      ['drift', '--baseline', baselineDir, DRIFTED, '--format', 'markdown'],
      env,
    );
    expect(first.code).toBe(1);
    expect(await readFile(summary, 'utf8')).toBe(`${first.stdout}\n`);
    await driftwatch(['report', saved, '--format', 'markdown', '--no-step-summary'], env);
    expect(await readFile(summary, 'utf8')).toBe(`${first.stdout}\n`);
  });

  it('throws when --fail-on or --format is unknown or the file is not a report (exit 2)', async () => {
    const failOn = await driftwatch(['drift', '--baseline', baselineDir, DRIFTED, '--fail-on', 'always']);
    expect(failOn).toMatchObject({ code: 2, stderr: expect.stringContaining("'always' is invalid") });
    const format = await driftwatch(['report', saved, '--format', 'json']);
    expect(format).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Allowed choices are text, markdown, junit, html'),
    });
    const notReport = await driftwatch(['report', join(baselineDir, 'statistics.json')]);
    expect(notReport).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a driftwatch drift report'),
    });
  });
});
