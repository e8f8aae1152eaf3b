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
 */
import './local/polyfill.js';
import { DEMO_CONFIG, runDemo } from './demo/loop.js';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? args[outIndex + 1] : undefined;
const say = (line: string) => process.stdout.write(`${line}\n`);
const started = Date.now();

say(
  'driftwatch demo: capture -> profile -> drift -> alarms -> retrain -> gate -> deploy -> audit, all on 127.0.0.1\n',
);
const result = await runDemo({ fast: args.includes('--fast'), print: say, ...(out ? { out } : {}) });
say('');
say(`HTML drift report: ${result.reportHtml || '(no drifted window)'}`);
say(
  `Audit log: ${result.auditLog} (${result.auditRecords} records, chain ${result.auditVerified ? 'verified' : 'BROKEN'}),\n  copied to ${result.auditCopy} (check it again: npm run driftwatch -- audit ${result.auditCopy})`,
);
say(`Finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
say(
  '\nThe same on AWS: npx cdk deploy --all -c config=examples/demo.config.json (your buckets and image in the config),',
);
say(`then npx driftwatch drift / quality / gate in CI with the same file. Demo config: ${DEMO_CONFIG}`);
if (!result.auditVerified) process.exitCode = 1;
