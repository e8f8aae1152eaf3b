/**
 * The demo's front: prints the banner, runs the loop (./loop.ts) and the summary. Shared by `npm run demo`
 * (scripts/demo.ts) and `driftwatch demo` (functions/cli/demo-program.ts).
 */
import '../local/polyfill.js';
import { DEMO_CONFIG, type DemoResult, runDemo } from './loop.js';

/** Options of one demo run. */
export interface DemoMainOptions {
  /** Fewer, smaller hours (the CI test). */
  fast: boolean;
  /** Where the HTML report and copies go. @default a new temp directory */
  out?: string;
  /** Receives each printed line. @default process.stdout */
  say?: (line: string) => void;
}

/** Runs the demo and prints its summary; returns the result (exit 1 when the audit chain did not verify). */
export async function demoMain(options: DemoMainOptions): Promise<{ result: DemoResult; exitCode: number }> {
  const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
  const started = Date.now();
  say(
    'driftwatch demo: capture -> profile -> drift -> alarms -> retrain -> gate -> deploy -> audit, all on 127.0.0.1\n',
  );
  const result = await runDemo({
    fast: options.fast,
    print: say,
    ...(options.out ? { out: options.out } : {}),
  });
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
  return { result, exitCode: result.auditVerified ? 0 : 1 };
}
