/**
 * `npm run bench [-- --quick | --size 2GiB | --runs 5 | --dir <path> | --keep | --tsx | --cpu-prof | --parser reference]`: generates
 * the dataset (bench/generate.ts), measures (a) reading, (b) split + JSON.parse, (c) driftwatch's ingest per encoding
 * and (d) a 24-hour window evaluation, each run in a fresh child process, prints the tables with the targets and
 * writes every figure to `<dir>/latest.json`. Exits 1 when a measurement counted something other than the
 * generated data (a parser rejection, a row count off), 2 on bad options; a missed target is reported, not fatal.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { bundleChild, bundleLocator } from './bundle.js';
import { type CpuProfile, type SelfTime, topSelfTime } from './cpu-profile.js';
import {
  type CaptureFileInfo,
  currentManifest,
  type DatasetManifest,
  FEATURE_NAMES,
  generateDataset,
} from './generate.js';
import type { ChildReport, MeasureKind, MeasureTask } from './measure.js';
import {
  type BenchCliOptions,
  BenchOptionsError,
  type BenchSettings,
  formatBytes,
  resolveSettings,
} from './options.js';
import {
  checkTargets,
  type MeasurementSummary,
  renderCheck,
  renderTable,
  renderVariant,
  summarise,
  type VariantResults,
} from './report.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
/** vCPU share of a 1024 MB arm64 Lambda function (STACK-NOTES.md). */
const LAMBDA_1024_VCPU = 0.58;
const run = promisify(execFile);

/** How to start a measurement child: with the esbuild bundle, or bench/child.ts through tsx. */
type Runner = { bundle: string } | { tsx: true };

/** Runs one measurement in a fresh node process. */
async function measureInChild(
  runner: Runner,
  task: MeasureTask,
  nodeFlags: readonly string[] = [],
): Promise<ChildReport> {
  const entry = 'bundle' in runner ? [runner.bundle] : ['--import', 'tsx', CHILD];
  const { stdout } = await run(process.execPath, [...nodeFlags, ...entry, JSON.stringify(task)], {
    cwd: REPO_ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`the ${task.kind} child failed on ${task.files[0]}: ${error.stderr ?? error.message}`, {
      cause: error,
    });
  });
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ChildReport;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

const loadavg = () => os.loadavg().map((l) => Number(l.toFixed(2)));

async function prepareDataset(settings: BenchSettings, dir: string): Promise<DatasetManifest> {
  const options = {
    totalBytes: settings.totalBytes,
    seed: settings.seed,
    baselineRows: settings.baselineRows,
    hourlyRows: settings.hourlyRows,
    hours: 24,
  };
  const existing = currentManifest(dir, options);
  if (existing !== undefined) {
    console.log(`reusing the dataset in ${dir}`);
    return existing;
  }
  const t0 = performance.now();
  const manifest = await generateDataset({ dir, ...options }, (m) => console.log(`  ${m}`));
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return manifest;
}

/** Checks what a child counted against what the generator wrote; returns the problems found. */
function verify(
  what: string,
  kind: MeasureKind,
  report: ChildReport,
  files: readonly CaptureFileInfo[],
): string[] {
  const r = report.result;
  const problems: string[] = [];
  const bytes = files.reduce((a, f) => a + f.bytes, 0);
  const lines = files.reduce((a, f) => a + f.lines, 0);
  const rows = files.reduce((a, f) => a + f.rows, 0);
  if (kind !== 'window' && r.bytes !== bytes)
    problems.push(`${what}: read ${r.bytes} bytes, expected ${bytes}`);
  if ((kind === 'split-parse' || kind === 'ingest') && r.lines !== lines)
    problems.push(`${what}: saw ${r.lines} lines, expected ${lines}`);
  if ((kind === 'ingest' || kind === 'window') && r.rows !== rows)
    problems.push(`${what}: profiled ${r.rows} rows, expected ${rows}`);
  if ((r.rejected ?? 0) !== 0) problems.push(`${what}: ${r.rejected} lines rejected, expected none`);
  return problems;
}

function newestCpuProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

async function main(settings: BenchSettings): Promise<number> {
  const dir =
    settings.dir === undefined ? mkdtempSync(join(os.tmpdir(), 'driftwatch-bench-')) : resolve(settings.dir);
  mkdirSync(dir, { recursive: true });
  const host = machine();
  const loadStart = loadavg();
  console.log(
    `driftwatch bench: ${formatBytes(settings.totalBytes)} of capture in 3 encodings (${formatBytes(settings.totalBytes / 3)} each), ${FEATURE_NAMES.length} features, ${settings.runs} run(s) per measurement${settings.quick ? ' (quick)' : ''}, ${settings.parser} parser for (c)`,
  );
  console.log(
    `machine: ${host.cpus} CPUs (${host.cpuModel}), ${host.memoryGiB.toFixed(1)} GiB, node ${host.node}, load average ${loadStart.join(' ')}`,
  );
  console.log(`dataset: ${dir}`);
  const manifest = await prepareDataset(settings, dir);
  const runner: Runner =
    settings.runner === 'bundle' ? { bundle: await bundleChild(join(dir, 'bundle')) } : { tsx: true };
  console.log(
    `children run ${'bundle' in runner ? `the esbuild bundle ${runner.bundle}` : 'bench/child.ts through tsx'}`,
  );
  const baselineDir = join(dir, manifest.baselineDir);
  const at = (files: readonly { path: string }[]) => files.map((f) => join(dir, f.path));

  const kinds: MeasureKind[] = ['read', 'split-parse', 'ingest'];
  const reports = new Map<string, ChildReport[]>();
  const problems: string[] = [];
  const record = (key: string, report: ChildReport) =>
    reports.set(key, [...(reports.get(key) ?? []), report]);
  for (let r = 1; r <= settings.runs; r++) {
    console.log(`run ${r}/${settings.runs}`);
    for (const info of manifest.variants) {
      for (const kind of kinds) {
        const task: MeasureTask =
          kind === 'ingest'
            ? { kind, files: at([info]), baselineDir, parser: settings.parser }
            : { kind, files: at([info]), baselineDir };
        const report = await measureInChild(runner, task);
        problems.push(...verify(`${info.variant} ${kind}`, kind, report, [info]));
        record(`${info.variant}:${kind}`, report);
      }
    }
    const window = await measureInChild(runner, {
      kind: 'window',
      files: manifest.hourlyProfiles.map((p) => join(dir, p)),
      baselineDir,
    });
    problems.push(...verify('window', 'window', window, manifest.hourly));
    record('window', window);
  }

  const summaryOf = (key: string, kind: MeasureKind, bytes: number, rows: number) =>
    summarise(kind, reports.get(key) ?? [], bytes, rows);
  const variants: VariantResults[] = manifest.variants.map((info) => ({
    variant: info.variant,
    read: summaryOf(`${info.variant}:read`, 'read', info.bytes, info.rows),
    splitParse: summaryOf(`${info.variant}:split-parse`, 'split-parse', info.bytes, info.rows),
    ingest: summaryOf(`${info.variant}:ingest`, 'ingest', info.bytes, info.rows),
  }));
  const windowRows = manifest.hourly.reduce((a, f) => a + f.rows, 0);
  const windowBytes = reports.get('window')?.[0]?.result.bytes ?? 0;
  const window: MeasurementSummary = summaryOf('window', 'window', windowBytes, windowRows);
  const checks = checkTargets(variants, window);

  let cpuProfile: { file: string; window: 'timed part' | 'whole process'; top: SelfTime[] } | undefined;
  const csv = manifest.variants.find((v) => v.variant === 'csv');
  if (settings.cpuProf && csv !== undefined) {
    const profileDir = join(dir, 'cpu-profile');
    mkdirSync(profileDir, { recursive: true });
    console.log('profiling (c) on the csv variant with --cpu-prof');
    const task: MeasureTask = { kind: 'ingest', files: at([csv]), baselineDir, parser: settings.parser };
    const report = await measureInChild(runner, task, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
    const file = newestCpuProfile(profileDir);
    if (file !== undefined) {
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      const [from, to] = report.result.timedMicros;
      const inside = from >= profile.startTime && to <= profile.endTime;
      cpuProfile = {
        file,
        window: inside ? 'timed part' : 'whole process',
        top: topSelfTime(profile, 20, {
          root: REPO_ROOT,
          ...(inside ? { window: [from, to] as const } : {}),
          ...('bundle' in runner ? { locate: bundleLocator(runner.bundle, REPO_ROOT) } : {}),
        }),
      };
    }
  }
  const loadEnd = loadavg();

  console.log('');
  for (const v of variants) {
    const info = manifest.variants.find((i) => i.variant === v.variant);
    console.log(
      `${v.variant.toUpperCase()}: ${formatBytes(info?.bytes ?? 0)}, ${(info?.rows ?? 0).toLocaleString('en-US')} records of 1 row, ${Math.round((info?.bytes ?? 0) / Math.max(1, info?.rows ?? 1))} B/line`,
    );
    console.log(renderVariant(v, checks));
    console.log('');
  }
  const phases = Object.entries(window.phases ?? {})
    .map(([p, s]) => `${p} ${s.toFixed(3)} s`)
    .join(', ');
  console.log(
    `(d) window: ${manifest.hourlyProfiles.length} hourly profiles, ${windowRows.toLocaleString('en-US')} rows: ${window.seconds.toFixed(3)} s median (best ${window.bestSeconds.toFixed(3)} s; ${phases}), peak RSS ${window.peakRssMiB.toFixed(0)} MiB`,
  );
  for (const c of checks.filter((c) => c.name.startsWith('(d)'))) console.log(renderCheck(c));
  console.log('');
  const lambda = variants.map((v) => ({
    variant: v.variant,
    rowsPerSecond: v.ingest.rowsPerSecond * LAMBDA_1024_VCPU,
    mbPerSecond: v.ingest.mbPerSecond * LAMBDA_1024_VCPU,
  }));
  console.log(
    `Lambda 1024 MB arm64 (about ${LAMBDA_1024_VCPU} vCPU), first estimate = (c) here x ${LAMBDA_1024_VCPU}:`,
  );
  console.log(
    renderTable(
      ['encoding', 'rows/s', 'MB/s', 's per 100 MB object'],
      lambda.map((l) => [
        l.variant,
        Math.round(l.rowsPerSecond).toLocaleString('en-US'),
        l.mbPerSecond.toFixed(1),
        (100 / l.mbPerSecond).toFixed(1),
      ]),
    ),
  );
  if (cpuProfile !== undefined) {
    console.log('');
    console.log(`top self time of (c) csv (${cpuProfile.window}; ${cpuProfile.file}):`);
    console.log(
      renderTable(
        ['function', 'self ms', 'share', 'location'],
        cpuProfile.top.map((t) => [
          t.name,
          t.selfMs.toFixed(0),
          `${(t.share * 100).toFixed(1)}%`,
          t.location,
        ]),
      ),
    );
  }
  console.log('');
  console.log(`load average at start ${loadStart.join(' ')}, at end ${loadEnd.join(' ')} (1, 5, 15 min)`);

  const resultsPath = join(dir, 'latest.json');
  const results = {
    format: 'driftwatch.bench-results',
    version: 1,
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    settings,
    machine: { ...host, loadavgStart: loadStart, loadavgEnd: loadEnd },
    dataset: { dir, ...manifest },
    variants,
    window,
    checks,
    lambda: { vcpu: LAMBDA_1024_VCPU, estimates: lambda },
    cpuProfile,
    problems,
    runs: Object.fromEntries(reports),
  };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  if (settings.dir === undefined && !settings.keep) {
    rmSync(join(dir, 'capture'), { recursive: true, force: true });
    console.log('capture files removed (keep them with --keep, or reuse them with --dir <path>)');
  }
  console.log(`results: ${resultsPath}`);
  if (problems.length > 0) {
    console.error(
      `\nthe measurements did not count the generated data:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
    return 1;
  }
  return 0;
}

const program = new Command()
  .name('npm run bench --')
  .description("driftwatch's ingest and window-evaluation benchmark")
  .option(
    '--size <size>',
    'capture bytes of the three encodings together, e.g. 256MiB, 2GiB (default 256MiB)',
  )
  .option('--quick', 'small smoke run: 16MiB, 1 run, 5,000 baseline rows, 1,000 rows per hour')
  .option('--runs <n>', 'fresh child processes per measurement; tables show the median (default 3)')
  .option('--dir <path>', 'dataset directory: kept, and reused when generated with the same options')
  .option('--keep', 'keep the generated capture files in the temp directory')
  .option('--seed <n>', 'PRNG seed of the generated data (default 20261126)')
  .option('--baseline-rows <n>', 'training rows the baseline is built from (default 50000)')
  .option('--hourly-rows <n>', 'records per hourly file of the window (default 10000)')
  .option('--tsx', 'run the children through the tsx loader, as the CLI runs, instead of an esbuild bundle')
  .option(
    '--parser <parser>',
    'capture line parser of (c): fast (default) or reference (JSON.parse of every line)',
  )
  .option(
    '--cpu-prof',
    'run (c) on the CSV encoding once more under node --cpu-prof and list the top self time',
  )
  .parse(process.argv);

try {
  process.exitCode = await main(resolveSettings(program.opts<BenchCliOptions>()));
} catch (error) {
  if (!(error instanceof BenchOptionsError)) throw error;
  console.error(`error: ${error.message}`);
  process.exitCode = 2;
}
