/**
 * `npm run demo`: the whole driftwatch loop on this machine, no AWS account needed (scripts/demo/loop.ts).
 *
 * s3rver on 127.0.0.1 holds the buckets the synthesized stacks would have; Elec2 traffic (a real public dataset,
 * examples/data/PROVENANCE.md) is captured hour by hour and drifts part way; the real ingest, evaluate-window and
 * merge-ground-truth functions run on the server's S3 events and schedule; the alarms of the synthesized template
 * are evaluated on the functions' EMF metrics; the retrain alarm runs the synthesized retraining and deployment
 * state machines locally, with SageMaker answered by a local stand-in; the audit chain is verified.
 *
 * `--fast`: fewer, smaller hours (the CI test). `--out DIR`: where the HTML report goes.
 * `driftwatch demo` runs the same.
 */
import { demoMain } from './demo/main.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
const { exitCode } = await demoMain({ fast: args.includes('--fast'), ...(out ? { out } : {}) });
if (exitCode !== 0) process.exitCode = exitCode;
