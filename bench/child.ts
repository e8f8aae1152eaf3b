/**
 * Child process entry: `node --import tsx bench/child.ts '<task json>'` runs one measurement and prints one JSON
 * line, a ChildReport: the MeasureResult plus this process's resident memory at start and its peak.
 */
import { type ChildReport, parseMeasureTask, runMeasurement } from './measure.js';

const startRssMiB = process.memoryUsage().rss / 1048576;
const task = parseMeasureTask(JSON.parse(process.argv[2] ?? 'null'));
const result = await runMeasurement(task);
const report: ChildReport = { result, startRssMiB, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
process.stdout.write(`${JSON.stringify(report)}\n`);
