import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../functions/cli/program.js';
import type { DemoResult } from '../../scripts/demo/loop.js';
import { demoMain } from '../../scripts/demo/main.js';

// `npm run demo -- --fast` end to end, in-process: the timeline's key events in order, the audit chain verified,
// the HTML report written, and no connection beyond 127.0.0.1.

let result: DemoResult;
let printed: string[];
const connections: string[] = [];

/** The host a Socket.connect call targets (options object, or port then host). */
function hostOf(args: unknown[]): string {
  // net.createConnection passes its normalized arguments as one array.
  const [first, second] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string | null };
    return typeof options.path === 'string' ? `unix:${options.path}` : (options.host ?? 'localhost');
  }
  return typeof second === 'string' ? second : 'localhost';
}

beforeAll(async () => {
  // Given every outgoing TCP connection recorded
  const connect = net.Socket.prototype.connect;
  vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (
    this: net.Socket,
    ...args: unknown[]
  ) {
    connections.push(hostOf(args));
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  printed = [];
  // When the fast demo runs
  let exitCode: number;
  ({ result, exitCode } = await demoMain({ fast: true, say: (line) => printed.push(line) }));
  expect(exitCode).toBe(0);
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  // The demo leaves its files for a person to look at; the test removes them.
  if (result?.reportHtml) await rm(dirname(result.reportHtml), { recursive: true, force: true });
  if (result?.s3Directory) await rm(result.s3Directory, { recursive: true, force: true });
});

const firstHour = (kind: string, pattern: RegExp) =>
  result.timeline.find((e) => e.kind === kind && pattern.test(e.text))?.hour ?? Number.NaN;

describe('npm run demo -- --fast', () => {
  it('computes drift, then the retrain alarm, then retraining, a gate verdict and a deployment', () => {
    // Then drift is found, and the retrain alarm fires no earlier than the drift
    const drift = firstHour('drift', /^drift \d\/6: /);
    const alarm = firstHour('alarm', /-> ALARM: .*\bRetrain\b/);
    expect(drift).toBeGreaterThan(0);
    expect(alarm).toBeGreaterThanOrEqual(drift);
    // And the retraining state machine runs in that hour, says what stands in for SageMaker, and reaches the gate
    expect(firstHour('retraining', /retraining state machine/)).toBe(alarm);
    expect(result.timeline.some((e) => /LOCAL STAND-IN/.test(e.text) && /not SageMaker/.test(e.text))).toBe(
      true,
    );
    expect(firstHour('gate', /^gate verdict PROMOTE /)).toBe(alarm);
    // And the approved package is deployed through the canary, the baseline rotated
    expect(firstHour('registration', /^registered elec-endpoint\/2 \(Approved/)).toBe(alarm);
    expect(firstHour('deployment', /^deployed: .*baseline rotated/)).toBe(alarm);
    // And late labels produced model-quality metrics before the retraining
    expect(firstHour('quality', /^late labels: accuracy 0\.\d\d, auc 0\.\d\d/)).toBeLessThan(alarm);
  });

  it('computes an audit chain that verifies and records each decision', () => {
    expect(result.auditVerified).toBe(true);
    const audit = result.timeline.find((e) => e.kind === 'audit')?.text ?? '';
    for (const kind of ['trigger', 'training-result', 'gate-verdict', 'registration', 'deployment-success']) {
      expect(audit).toContain(kind);
    }
    expect(result.auditLog).toMatch(/^s3:\/\/[a-z0-9-]+\/audit\/elec-endpoint\/$/);
  });

  it('writes the HTML drift report and prints the timeline and the way to AWS', () => {
    expect(existsSync(result.reportHtml)).toBe(true);
    expect(readFileSync(result.reportHtml, 'utf8')).toContain('<html');
    expect(printed.some((line) => /^ {2}h\d\d \d\d:00Z \d+ records/.test(line))).toBe(true);
    expect(printed.join('\n')).toContain('LOCAL STAND-IN');
    expect(printed).toContain(`HTML drift report: ${result.reportHtml}`);
    expect(printed.join('\n')).toContain('chain verified),');
    expect(printed.join('\n')).toContain('npx cdk deploy --all -c config=examples/demo.config.json');
  });

  it('is also `driftwatch demo`, with --fast and --out', () => {
    const demo = buildProgram().commands.find((c) => c.name() === 'demo');
    expect(demo?.options.map((o) => o.long)).toEqual(['--fast', '--out']);
  });

  it('connects to nothing beyond 127.0.0.1', () => {
    expect(result.endpoints.every((e) => e.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(connections.length).toBeGreaterThan(0);
    expect(connections.filter((host) => host !== '127.0.0.1')).toEqual([]);
  });
});
