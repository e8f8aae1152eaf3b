import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineCommand, driftCommand } from '../../functions/cli/commands.js';

// Debian's chromium package, which .ci/run installs; CHROMIUM_PATH points elsewhere on other machines.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MARKETPLACE = 'test/fixtures/drift-datasets/marketplace-data-quality';
/** Screenshots are test artifacts (test-output/ is gitignored; CI can upload it). */
const OUTPUT = 'test-output';

let browser: Browser | undefined;

/** Starts Chromium once; a missing Chromium fails the test (never skips it) with what to install. */
async function launch(): Promise<Browser> {
  if (browser) return browser;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the HTML report's browser test needs Chromium at ${CHROMIUM}: install Debian's package ` +
        '(apt-get install -y --no-install-recommends chromium; .ci/run does this) or set CHROMIUM_PATH',
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}

afterAll(async () => {
  await browser?.close();
});

/** Renders the marketplace drift check as HTML into a file; some columns baselined as categorical. */
async function htmlReport(categorical: string[]): Promise<{ file: string; features: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-html-'));
  await baselineCommand({
    input: `${MARKETPLACE}/baseline.csv`,
    out: join(dir, 'baseline'),
    target: 'target',
    ...(categorical.length > 0 ? { categorical } : {}),
  });
  const result = await driftCommand({
    inputs: [`${MARKETPLACE}/data_quality_drift.csv`],
    baseline: join(dir, 'baseline'),
    format: 'html',
  });
  const file = join(dir, 'report.html');
  await writeFile(file, result.stdout);
  return { file, features: result.report.features.map((f) => f.name) };
}

describe('driftwatch drift --format html (in Chromium)', () => {
  it.each([
    ['numeric', [] as string[], 'html-report-numeric.png'],
    ['numeric and categorical', ['gender', 'age_range'], 'html-report-categorical.png'],
  ])(
    'computes a page that draws a chart per feature (%s columns) offline, with no console errors',
    async (_, categorical, shot) => {
      // Given
      const { file, features } = await htmlReport(categorical);
      const page = await (await launch()).newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => requests.push(r.url()));
      // When
      const url = pathToFileURL(resolve(file)).href;
      await page.goto(url, { waitUntil: 'load' });
      // Then: the verdict, and every feature's canvas drawn by Chart.js
      await expect(page.locator('#verdict h1').textContent()).resolves.toBe('Drift detected');
      const charts = await page.evaluate(() => {
        const w = globalThis as unknown as {
          document: { querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
          Chart: { getChart(c: unknown): { data: { datasets: unknown[] } } | undefined };
        };
        return Array.from(w.document.querySelectorAll('canvas[data-feature]')).map((c) => ({
          feature: c.getAttribute('data-feature'),
          datasets: w.Chart.getChart(c)?.data.datasets.length ?? 0,
          rendered: c.getAttribute('data-rendered'),
        }));
      });
      expect(charts.map((c) => c.feature).sort()).toEqual([...features].sort());
      expect(charts.every((c) => c.datasets === 2 && c.rendered === 'true')).toBe(true);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      await mkdir(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, shot), fullPage: true });
      await page.close();
    },
  );
});
