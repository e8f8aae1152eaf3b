// The whole driftwatch loop on this machine: s3rver on 127.0.0.1, the real handlers fed by the server's own S3
// events, alarms from the synthesized template evaluated on the handlers' EMF output, and the synthesized retraining
// and deployment state machines run locally (SageMaker answered by ./stand-in.ts).
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { S3AuditStore } from '../../functions/adapters/s3-audit-store.js';
import { S3ObjectStore } from '../../functions/adapters/s3-object-store.js';
import { baselineCommand } from '../../functions/cli/commands.js';
import { verifyChain } from '../../functions/core/audit/chain.js';
import { parseS3Uri } from '../../functions/core/config/s3-uri.js';
import { parseDriftReport } from '../../functions/core/report/drift-report.js';
import { renderHtml } from '../../functions/core/report/html.js';
import { createHandler as auditAppend } from '../../functions/handlers/audit-append.js';
import { AuditTrail } from '../../functions/handlers/audit-trail.js';
import { createHandler as buildTrainingBaseline } from '../../functions/handlers/build-training-baseline.js';
import { createHandler as evaluateCandidate } from '../../functions/handlers/evaluate-candidate.js';
import { createHandler as createEvaluateHandler } from '../../functions/handlers/evaluate-window.js';
import { createHandler as createIngestHandler } from '../../functions/handlers/ingest-capture.js';
import type { MergeResult } from '../../functions/handlers/merge-ground-truth.js';
import { createHandler as createMergeHandler } from '../../functions/handlers/merge-ground-truth.js';
import { createHandler as planDeployment } from '../../functions/handlers/plan-deployment.js';
import { createHandler as resolveChampion } from '../../functions/handlers/resolve-champion.js';
import { createHandler as retrainGuard } from '../../functions/handlers/retrain-guard.js';
import { createHandler as rotateBaseline } from '../../functions/handlers/rotate-baseline.js';
import { withMiddleware } from '../../functions/handlers/runtime.js';
import type { Clock } from '../../functions/ports/clock.js';
import type { WindowSummary } from '../../functions/services/evaluate-window.js';
import { qualityContext } from '../../functions/services/merge-ground-truth.js';
import {
  DRIFTWATCH_NAMESPACE,
  MODEL_MONITOR_DATA_NAMESPACE,
  MODEL_MONITOR_MODEL_NAMESPACE,
} from '../../functions/shared/metrics.js';
import { hourPath, joinKey } from '../../functions/shared/s3-layout.js';
import { AlarmEvaluator, alarmsOfTemplate, parseEmf } from '../local/alarms.js';
import { type CfnTemplate, fakeName } from '../local/asl.js';
import { lambdaContext, localFunctionDeps } from '../local/lambda.js';
import { csvCaptureLine, groundTruthLine } from '../local/records.js';
import { startLocalS3 } from '../local/s3.js';
import { aslOf, type LocalRun, runLocally, type TaskHandler } from '../local/state-machine.js';
import { resourcesOfType, synthesizeApp } from '../local/synth.js';
import { fitLogistic, predictProbability } from './model.js';
import { SageMakerStandIn } from './stand-in.js';

const HOUR = 3_600_000;
const ROOT = new URL('../../', import.meta.url);
export const DEMO_CONFIG = new URL('examples/demo.config.json', ROOT).pathname;
const DATA = new URL('examples/data/elec2-demo.csv', ROOT).pathname;
const FEATURES = ['period', 'nswprice', 'nswdemand', 'vicprice', 'vicdemand', 'transfer'];
const LAMBDA_CONTEXT = lambdaContext('driftwatch-demo');

/** How much traffic to simulate. */
export interface DemoOptions {
  /** Fewer, smaller hours (the CI test); the same events. */
  fast: boolean;
  /** Where the report and copies of the files go. @default a new temp directory */
  out?: string;
  /** Receives each line the demo prints. */
  print: (line: string) => void;
}

/** One line of the timeline. */
export interface TimelineEntry {
  hour: number;
  kind:
    | 'traffic'
    | 'drift'
    | 'alarm'
    | 'retraining'
    | 'gate'
    | 'registration'
    | 'deployment'
    | 'quality'
    | 'audit';
  text: string;
}

/** What the demo did. */
export interface DemoResult {
  timeline: TimelineEntry[];
  reportHtml: string;
  auditLog: string;
  auditVerified: boolean;
  auditRecords: number;
  /** The audit records copied to a local folder. */
  auditCopy: string;
  /** Where s3rver kept the buckets (each object a file under `<dir>/<bucket>/<key>`); left for inspection. */
  s3Directory: string;
  /** Every endpoint an SDK client was configured with. */
  endpoints: string[];
}

interface Row {
  features: number[];
  /** The features as the dataset writes them (`0.0` stays Fractional, as in the baseline). */
  csv: string;
  label: number;
}

async function loadRows(): Promise<{ early: Row[]; late: Row[] }> {
  const lines = (await readFile(DATA, 'utf8')).trim().split('\n').slice(1);
  const rows = lines.map((line) => {
    const values = line.split(',').map(Number);
    return {
      features: values.slice(0, 6),
      csv: line.split(',').slice(0, 6).join(','),
      label: values[6] as number,
    };
  });
  // Each period's rows in a seeded random order: the baseline and the traffic before the drift are one population
  // (1997), the traffic after it another (1998).
  let seed = 7;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const shuffled = (period: Row[]) => {
    for (let i = period.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [period[i], period[j]] = [period[j] as Row, period[i] as Row];
    }
    return period;
  };
  // The 1998 rows keep their time order: Elec2 drifts on within the period too, as real traffic does.
  return { early: shuffled(rows.slice(0, 6000)), late: rows.slice(6000) };
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Runs the loop and returns its timeline; prints as it goes. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const hours = options.fast ? 10 : 36;
  const perHour = options.fast ? 300 : 300;
  const filesPerHour = options.fast ? 2 : 4;
  const driftStart = options.fast ? 3 : 16;
  const labelDelayHours = 1;
  const out = options.out ?? (await mkdtemp(join(tmpdir(), 'driftwatch-demo-')));
  await mkdir(out, { recursive: true });
  const timeline: TimelineEntry[] = [];
  const note = (hour: number, kind: TimelineEntry['kind'], text: string) =>
    timeline.push({ hour, kind, text });

  // 1. The stacks as `cdk deploy` would create them, synthesized in-process.
  const app = synthesizeApp(DEMO_CONFIG);
  const endpointConfig = app.config.endpoints[0];
  if (endpointConfig === undefined) throw new Error(`${DEMO_CONFIG}: no endpoint`);
  const endpointName = endpointConfig.name;
  const bucketOf = (uri: string) => parseS3Uri(uri).bucket;
  const monitoringJson = app.monitoring.toJSON() as CfnTemplate;
  const lifecycleJson = app.lifecycle.toJSON() as CfnTemplate;
  const stackBuckets = [
    ...resourcesOfType(app.monitoring, 'AWS::S3::Bucket').map(([id]) => fakeName(monitoringJson, id)),
    ...resourcesOfType(app.lifecycle, 'AWS::S3::Bucket').map(([id]) => fakeName(lifecycleJson, id)),
  ];
  const auditBucketId = resourcesOfType(app.lifecycle, 'AWS::S3::Bucket').find(([id]) =>
    id.startsWith('AuditTrail'),
  );
  if (auditBucketId === undefined) throw new Error('the lifecycle stack has no audit trail bucket');
  const auditBucket = fakeName(lifecycleJson, auditBucketId[0]);
  const buckets = [...new Set([bucketOf(endpointConfig.capture.s3Uri), ...stackBuckets])];

  // 2. The S3 server, its events queued for the functions.
  const queue: unknown[] = [];
  const s3 = await startLocalS3(buckets, (event) => queue.push(event));
  const endpoints = [s3.endpoint];
  // Anything that builds its own SDK client talks to the local server with s3rver's fixed credentials.
  Object.assign(process.env, s3.env);
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  print(`Local S3 (s3rver) on ${s3.endpoint}, data in ${s3.directory}`);
  print(`Buckets the stacks would have: ${buckets.join(', ')}`);
  const store = new S3ObjectStore(s3.client);

  // Every EMF document the functions print is captured (not shown) and read as metrics at the simulated time.
  let emfTime = 0;
  const alarms = alarmsOfTemplate({
    Resources: { ...monitoringJson.Resources, ...lifecycleJson.Resources },
  });
  const evaluator = new AlarmEvaluator(alarms);
  const rollbackAlarms = alarms
    .filter(
      (a) =>
        a.kind === 'metric' &&
        (a.namespace === 'AWS/SageMaker' || a.metricName === 'ObjectDriftedFeatureShare'),
    )
    .map((a) => a.name);
  const realWrite = process.stdout.write.bind(process.stdout);
  let pending = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (text.startsWith('{') || pending !== '') {
      pending += text;
      if (pending.endsWith('\n')) {
        evaluator.add(parseEmf(pending, emfTime));
        pending = '';
      }
      return true;
    }
    return (realWrite as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;

  try {
    // 3. Data and the champion model: Elec2 (NSW electricity market), price UP/DOWN from six market features.
    const { early, late } = await loadRows();
    const training = early.slice(0, 3000);
    const champion = fitLogistic(
      FEATURES,
      training.map((r) => r.features),
      training.map((r) => r.label),
    );
    print(`Trained the champion (logistic regression) on ${training.length} Elec2 rows from 1997`);
    const baselineCsv = join(out, 'training.csv');
    await writeFile(
      baselineCsv,
      `target,${FEATURES.join(',')}\n${training.map((r) => `${r.label},${r.csv}`).join('\n')}\n`,
    );
    const baselineDir = join(out, 'baseline');
    await baselineCommand({ input: baselineCsv, out: baselineDir, target: 'target' });
    const baselineUri = parseS3Uri(endpointConfig.baseline.s3Uri);
    for (const file of ['baseline.json', 'statistics.json', 'constraints.json']) {
      await s3.put(
        baselineUri.bucket,
        joinKey(baselineUri.key, file),
        await readFile(join(baselineDir, file), 'utf8'),
      );
    }
    const artifact = `s3://${bucketOf(endpointConfig.capture.s3Uri)}/elec/models/champion/model.tar.gz`;
    await store.putJson(parseS3Uri(artifact), champion);
    print(`Baseline (statistics.json, constraints.json) uploaded to ${endpointConfig.baseline.s3Uri}\n`);

    const retraining = endpointConfig.retraining;
    if (retraining === undefined) throw new Error('the demo configuration needs retraining');
    const sagemaker = new SageMakerStandIn(store, s3.put, endpointName, endpointName, {
      model: champion,
      artifactUri: artifact,
      image: retraining.training.image ?? '',
      captureUri: endpointConfig.capture.s3Uri,
    });

    // 4. Simulated time: the last `hours` whole hours before now.
    const start = Math.floor(Date.now() / HOUR) * HOUR - (hours + 1) * HOUR;
    let now = start;
    const clock: Clock = { now: () => new Date(now) };
    const logger = new Logger({ logLevel: 'SILENT' });
    const config = app.config;
    const reports = parseS3Uri(endpointConfig.reports?.s3Uri ?? endpointConfig.baseline.s3Uri);
    const handlers = () => {
      const deps = localFunctionDeps({
        config,
        endpointName,
        reports: { bucket: reports.bucket, key: 'driftwatch' },
        store,
        clock,
        logger,
        namespaces: [DRIFTWATCH_NAMESPACE, MODEL_MONITOR_DATA_NAMESPACE, MODEL_MONITOR_MODEL_NAMESPACE],
      });
      return {
        ingest: withMiddleware(createIngestHandler(deps), logger),
        evaluate: withMiddleware(createEvaluateHandler(deps), logger),
        merge: withMiddleware(
          createMergeHandler({ ...deps, quality: qualityContext(config, endpointName) }),
          logger,
        ),
      };
    };
    const capture = parseS3Uri(endpointConfig.capture.s3Uri);
    const truth = parseS3Uri(endpointConfig.groundTruth?.s3Uri ?? `s3://${capture.bucket}/ground-truth`);
    let fn = handlers();
    let quality: string | undefined;
    const deliver = async () => {
      while (queue.length > 0) {
        const event = queue.shift() as {
          Records: { s3: { bucket: { name: string }; object: { key: string } } }[];
        };
        const key = event.Records[0]?.s3.object.key ?? '';
        if (key.startsWith(`${joinKey(capture.key)}/`)) await fn.ingest(event, LAMBDA_CONTEXT);
        else if (key.startsWith(`${joinKey(truth.key)}/`)) {
          const merged = (await fn.merge(event, LAMBDA_CONTEXT)) as MergeResult;
          for (const window of merged.windows) {
            if (!window.published || window.reportPrefix === undefined) continue;
            const uri = `${window.reportPrefix.replace(/\/?$/, '/')}statistics.json`;
            const stats = (await store.getJson(parseS3Uri(uri))) as {
              binary_classification_metrics?: Record<string, { value: number }>;
            };
            const m = stats.binary_classification_metrics ?? {};
            quality = `late labels: accuracy ${m.accuracy?.value.toFixed(2)}, auc ${m.auc?.value.toFixed(2)} (${window.evaluated})`;
          }
        }
      }
    };

    // The audit trail in the stack's audit bucket, and the real functions of both workflows.
    const auditStore = new S3AuditStore(s3.client, auditBucket, 'audit');
    const trail = new AuditTrail(auditStore, clock, { pause: async () => {} });
    const workflowFunctions = (): Record<string, TaskHandler> => ({
      Guard: retrainGuard({
        endpointName,
        cooldownHours: retraining.cooldownHours,
        trail,
        executions: { status: async () => 'SUCCEEDED' },
        clock,
      }),
      'Find champion': resolveChampion({
        endpointName,
        variants: ['AllTraffic'],
        catalog: sagemaker.catalog,
      }),
      'Profile training data': buildTrainingBaseline({
        store,
        trainingS3Uri: retraining.training.channels[0]?.s3Uri ?? '',
        labelColumnIndex: retraining.evaluation.labelColumnIndex,
        columns: FEATURES,
        categorical: [],
        categoricalTopK: 100,
        sketchK: 2048,
      }),
      'Evaluate candidate': evaluateCandidate({
        store,
        clock,
        // biome-ignore lint/style/noNonNullAssertion: the demo configuration has modelQuality (checked by its test)
        modelQuality: endpointConfig.modelQuality!,
        ...(endpointConfig.gate ? { gate: endpointConfig.gate } : {}),
        labelColumnIndex: retraining.evaluation.labelColumnIndex,
      }),
      'Plan deployment': planDeployment({
        endpointName,
        modelPackageGroupName: endpointName,
        deployment: {},
        catalog: sagemaker.catalog,
      }),
      'Rotate baseline': rotateBaseline({
        store,
        remove: async (location) => {
          await s3.client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: location.key }));
        },
        baselineS3Uri: endpointConfig.baseline.s3Uri,
      }),
    });
    let executions = 0;
    const runWorkflow = async (
      logicalIdPrefix: string,
      input: unknown,
      tasks: Record<string, TaskHandler>,
    ) => {
      const asl = aslOf(app.lifecycle, logicalIdPrefix, app.monitoring);
      executions += 1;
      const name = `demo-${executions}`;
      const audit = auditAppend({ endpointName, trail });
      const recorders = Object.fromEntries(
        Object.keys(asl.States)
          .filter((n) => n.startsWith('Record '))
          .map((n) => [n, audit as TaskHandler]),
      );
      return runLocally(
        asl,
        input,
        { ...recorders, ...workflowFunctions(), ...tasks },
        {
          id: `arn:aws:states:us-east-1:111111111111:execution:${logicalIdPrefix}:${name}`,
          name,
          startTime: clock.now().toISOString(),
        },
      );
    };

    // One line an hour (traffic, drift, quality, alarm changes), then the workflows' steps indented under it.
    const printHour = (h: number) => {
      const entries = timeline.filter((e) => e.hour === h);
      const summary: readonly TimelineEntry['kind'][] = ['traffic', 'drift', 'quality', 'alarm'];
      const line = summary.flatMap((k) => entries.filter((e) => e.kind === k).map((e) => e.text));
      print(`  h${String(h).padStart(2, '0')} ${line.join(' | ')}`);
      for (const e of entries) if (!summary.includes(e.kind)) print(`      -> ${e.text}`);
    };
    print(
      "Hour by hour (simulated; each upload goes through the server's S3 event to the real ingest function):",
    );
    const served: { hour: number; row: Row; eventId: string }[] = [];
    let earlyAt = 3000;
    let lateAt = 0;
    let retrained = false;
    let lastDriftReport: string | undefined;
    for (let h = 0; h < hours; h++) {
      const hourStart = start + h * HOUR;
      const drifting = h >= driftStart;
      // Capture files, as the endpoint writes them: a few objects an hour, inference times inside the hour.
      const rows: Row[] = [];
      for (let i = 0; i < perHour; i++) {
        rows.push((drifting ? late[lateAt++ % late.length] : early[earlyAt++ % early.length]) as Row);
      }
      let positives = 0;
      for (let f = 0; f < filesPerHour; f++) {
        const slice = rows.slice((f * perHour) / filesPerHour, ((f + 1) * perHour) / filesPerHour);
        const fileTime = hourStart + ((f + 1) * HOUR) / (filesPerHour + 1);
        const lines = slice.map((row, i) => {
          const eventId = randomUUID();
          const probability = predictProbability(sagemaker.serving, row.features);
          if (probability >= 0.5) positives += 1;
          served.push({ hour: h, row, eventId });
          return csvCaptureLine({
            input: row.csv,
            output: probability.toFixed(6),
            outputContentType: 'text/csv; charset=utf-8',
            eventId,
            inferenceTime: isoSeconds(fileTime - 60_000 + i * 100),
          });
        });
        const d = new Date(fileTime);
        const name = `${String(d.getUTCMinutes()).padStart(2, '0')}-${String(d.getUTCSeconds()).padStart(2, '0')}-${String(d.getUTCMilliseconds()).padStart(3, '0')}-${randomUUID()}.jsonl`;
        now = fileTime;
        emfTime = fileTime;
        await s3.put(
          capture.bucket,
          `${joinKey(capture.key)}/${endpointName}/AllTraffic/${hourPath(new Date(hourStart))}/${name}`,
          `${lines.join('\n')}\n`,
        );
        await deliver();
      }
      // Late labels: the hour `labelDelayHours` ago gets its ground truth now, under the collection hour.
      const labelled = served.filter((s) => s.hour === h - labelDelayHours);
      if (labelled.length > 0) {
        now = hourStart + 50 * 60_000;
        emfTime = now;
        const body = labelled.map((s) => groundTruthLine(s.eventId, String(s.row.label)));
        await s3.put(
          truth.bucket,
          `${joinKey(truth.key)}/${hourPath(new Date(hourStart))}/labels.jsonl`,
          `${body.join('\n')}\n`,
        );
        await deliver();
      }
      // The scheduled evaluation of the hour that just ended (EventBridge Scheduler sends the endpoint name).
      now = hourStart + HOUR + 20 * 60_000;
      emfTime = hourStart + HOUR / 2;
      const summary = (await fn.evaluate({ endpoint: endpointName }, LAMBDA_CONTEXT)) as WindowSummary;
      let drifted: string[] = [];
      if (summary.reportPrefix !== undefined) {
        const reportUri = `${summary.reportPrefix.replace(/\/?$/, '/')}drift-report.json`;
        const report = parseDriftReport(await store.getJson(parseS3Uri(reportUri)), reportUri);
        drifted = report.features.filter((f) => f.drift).map((f) => f.name);
        if (drifted.length > 0) lastDriftReport = reportUri;
      }
      const hourLabel = `${new Date(hourStart).toISOString().slice(11, 16)}Z`;
      note(
        h,
        'traffic',
        `${hourLabel} ${summary.records.accepted} records (${drifting ? '1998' : '1997'}), ${positives} predicted UP`,
      );
      if (drifted.length > 0) {
        note(h, 'drift', `drift ${drifted.length}/${FEATURES.length}: ${drifted.join(', ')}`);
      }
      if (quality !== undefined) note(h, 'quality', quality);
      quality = undefined;
      // Alarms, evaluated at the end of the hour on the metrics the functions published.
      const changes = evaluator
        .evaluate(hourStart + HOUR)
        .filter((c) => !(c.from === 'INSUFFICIENT_DATA' && c.to === 'OK'));
      for (const to of ['ALARM', 'OK'] as const) {
        const names = changes.filter((c) => c.to === to).map((c) => c.name);
        if (names.length > 0)
          note(
            h,
            'alarm',
            `alarms -> ${to}: ${shortAlarmNames(names, `${app.config.stackName}-Monitoring-${endpointName}-`)}`,
          );
      }
      const retrainAlarm = alarms.find((a) => a.kind === 'composite');
      if (!retrained && retrainAlarm !== undefined && evaluator.state(retrainAlarm.name) === 'ALARM') {
        retrained = true;
        now = hourStart + HOUR + 25 * 60_000;
        await retrainAndDeploy(h);
        fn = handlers();
      }
      printHour(h);
    }

    async function retrainAndDeploy(h: number) {
      // The recent labelled data (labels that have arrived): the training channel and the holdout.
      const labelled = served.filter((s) => s.hour <= h - labelDelayHours && s.hour >= driftStart);
      const split = Math.floor(labelled.length * 0.7);
      const csv = (items: typeof labelled) =>
        `${items.map((s) => `${s.row.label},${s.row.csv}`).join('\n')}\n`;
      const channel = parseS3Uri(retraining?.training.channels[0]?.s3Uri ?? '');
      const holdout = parseS3Uri(retraining?.evaluation.holdoutS3Uri ?? '');
      await s3.put(channel.bucket, joinKey(channel.key, 'train.csv'), csv(labelled.slice(0, split)));
      await s3.put(holdout.bucket, joinKey(holdout.key, 'holdout.csv'), csv(labelled.slice(split)));
      note(
        h,
        'retraining',
        `retrain alarm -> retraining state machine (synthesized ASL, run locally) on ${split} recent labelled rows`,
      );
      note(
        h,
        'retraining',
        'SageMaker training, batch transform and registry: LOCAL STAND-IN (scripts/demo/stand-in.ts), not SageMaker',
      );
      const alarmEvent = {
        version: '0',
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        resources: [`arn:aws:cloudwatch:us-east-1:111111111111:alarm:${endpointName}-retrain`],
        detail: {
          alarmName: `${endpointName}-retrain`,
          state: { value: 'ALARM', reason: 'Threshold Crossed: drift' },
        },
      };
      const run: LocalRun = await runWorkflow(
        `${logicalIdOf(endpointName)}RetrainingStateMachine`,
        alarmEvent,
        sagemaker.retrainingTasks(FEATURES, (_model, rows) =>
          note(h, 'retraining', `training job (stand-in) fitted logistic regression on ${rows} rows`),
        ),
      );
      if (run.error !== undefined) {
        note(h, 'retraining', `retraining failed: ${run.error.name}: ${run.error.cause}`);
        return;
      }
      const result = findVerdict(run);
      note(
        h,
        'gate',
        `gate verdict ${result.verdict}${result.metrics ? ` (${result.metrics})` : ''}${result.reasons ? `: ${result.reasons}` : ''}`,
      );
      const registered = [...sagemaker.packages.values()].at(-1);
      if (!run.states.includes('Register model package') || registered === undefined) return;
      note(
        h,
        'registration',
        `registered ${registered.modelPackageArn.split('/').slice(-2).join('/')} (${registered.approvalStatus}; approval automatic in the demo)`,
      );
      if (registered.approvalStatus !== 'Approved') return;
      // "SageMaker Model Package State Change" to Approved starts the deployment state machine.
      const deploy = sagemaker.deploymentTasks({
        percent: 10,
        // The bake is judged by the rollback alarms the deployment configures (the endpoint's AWS/SageMaker errors
        // and latency, and the per-object drift alarm), as evaluated on the metrics so far.
        healthy: async () => {
          evaluator.evaluate(clock.now().getTime());
          return rollbackAlarms.every((name) => evaluator.state(name) !== 'ALARM');
        },
        log: (line) => note(h, 'deployment', line),
      });
      const deployment = await runWorkflow(
        `${logicalIdOf(endpointName)}DeploymentStateMachine`,
        {
          version: '0',
          source: 'aws.sagemaker',
          'detail-type': 'SageMaker Model Package State Change',
          detail: {
            ModelPackageGroupName: endpointName,
            ModelPackageArn: registered.modelPackageArn,
            ModelApprovalStatus: 'Approved',
          },
        },
        deploy.handlers,
      );
      if (deployment.error !== undefined) {
        note(h, 'deployment', `deployment failed: ${deployment.error.name}: ${deployment.error.cause}`);
        return;
      }
      note(
        h,
        'deployment',
        `deployed: endpoint on ${sagemaker.endpointConfigName}${deployment.states.includes('Rotate baseline') ? ', baseline rotated to the training data' : ''}`,
      );
    }

    // 5. The audit trail, verified as `driftwatch audit verify` does.
    const names = await auditStore.names(endpointName);
    const objects = [];
    for (const name of names) objects.push({ name, value: await auditStore.read(endpointName, name) });
    const chain = verifyChain(endpointName, objects);
    // A copy as plain files, so `driftwatch audit <dir>` can verify it after the server is gone.
    const auditCopy = join(out, 'audit', endpointName);
    await mkdir(auditCopy, { recursive: true });
    for (const o of objects) await writeFile(join(auditCopy, o.name), `${JSON.stringify(o.value)}\n`);
    const auditLog = `s3://${auditBucket}/audit/${endpointName}/`;
    note(
      hours,
      'audit',
      `audit chain ${chain.intact ? 'verified' : 'BROKEN'}: ${chain.records.length} records (${chain.records.map((r) => r.kind).join(', ')})`,
    );

    // 6. The HTML report of the last drifted window, with the existing renderer.
    let reportHtml = '';
    if (lastDriftReport !== undefined) {
      const report = parseDriftReport(await store.getJson(parseS3Uri(lastDriftReport)), lastDriftReport);
      const chartJs = await readFile(new URL('node_modules/chart.js/dist/chart.umd.js', ROOT), 'utf8');
      reportHtml = join(out, 'drift-report.html');
      await writeFile(reportHtml, renderHtml(report, { chartJs, title: `driftwatch demo: ${endpointName}` }));
    }
    print(`  end ${timeline.at(-1)?.text ?? ''}`);
    return {
      timeline,
      reportHtml,
      auditLog,
      auditVerified: chain.intact,
      auditRecords: chain.records.length,
      auditCopy,
      s3Directory: s3.directory,
      endpoints,
    };
  } finally {
    process.stdout.write = realWrite as typeof process.stdout.write;
    await s3.close({ keep: true });
  }
}

/** The gate verdict and its reasons, from the Evaluate candidate state's output. */
function findVerdict(run: LocalRun): { verdict: string; reasons?: string; metrics?: string } {
  const output = run.outputs.get('Evaluate candidate');
  const found = (value: unknown): Record<string, unknown> | undefined => {
    if (value === null || typeof value !== 'object') return undefined;
    const node = value as Record<string, unknown>;
    if (typeof node.verdict === 'string') return node;
    for (const child of Object.values(node)) {
      const hit = found(child);
      if (hit) return hit;
    }
    return undefined;
  };
  const result = found(output);
  if (result === undefined) return { verdict: 'unknown' };
  const metrics = result.metrics as
    | Record<string, { champion: number | null; challenger: number | null }>
    | undefined;
  return {
    verdict: String(result.verdict),
    ...(Array.isArray(result.reasons) ? { reasons: result.reasons.slice(0, 2).join('; ') } : {}),
    ...(metrics
      ? {
          metrics: Object.entries(metrics)
            .map(
              ([k, v]) => `${k} champion ${v.champion?.toFixed(3)} vs challenger ${v.challenger?.toFixed(3)}`,
            )
            .join(', '),
        }
      : {}),
  };
}

/** Alarm names without the stack and endpoint prefix, the per-feature drift alarms grouped. */
function shortAlarmNames(names: readonly string[], prefix: string): string {
  const features: string[] = [];
  const others: string[] = [];
  for (const name of names) {
    const short = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    const feature = /^FeatureDrift-[^-]+-(.+)-(Warning|Critical)$/.exec(short);
    if (feature) features.push(feature[1] as string);
    else others.push(short.replace(/-AllTraffic/, '').replace(/-(Warning|Critical)$/, ''));
  }
  return [...(features.length > 0 ? [`FeatureDrift(${features.join(', ')})`] : []), ...others].join(', ');
}

/** The logical-ID prefix CDK gives an endpoint's constructs (its name without non-alphanumerics). */
function logicalIdOf(endpointName: string): string {
  return endpointName.replace(/[^A-Za-z0-9]/g, '');
}
