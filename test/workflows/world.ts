import { verifyChain } from '../../functions/core/audit/chain.js';
import type { AuditRecord } from '../../functions/core/audit/record.js';
import { createHandler as auditAppend } from '../../functions/handlers/audit-append.js';
import { AuditTrail } from '../../functions/handlers/audit-trail.js';
import { createHandler as planDeployment } from '../../functions/handlers/plan-deployment.js';
import { createHandler as resolveChampion } from '../../functions/handlers/resolve-champion.js';
import { createHandler as retrainGuard } from '../../functions/handlers/retrain-guard.js';
import { createHandler as rotateBaseline } from '../../functions/handlers/rotate-baseline.js';
import type {
  EndpointConfigDescription,
  ModelCatalog,
  ModelDescription,
  ModelPackageDescription,
} from '../../functions/ports/model-catalog.js';
import { type AslDefinition, FAKE_ENV } from '../../scripts/local/asl.js';
import {
  type LocalRun,
  MemoryObjectStore,
  runLocally,
  type TaskHandler,
} from '../../scripts/local/state-machine.js';
import { fixedClock, MemoryAuditStore } from '../handlers/audit-support.js';

// One simulated account for the workflow tests: the real driftwatch handlers (guard, audit, plan, rotate, champion)
// over in-memory ports, and SageMaker/SNS tasks answered by the tests.

export const ENDPOINT = 'churn-endpoint';
export const GROUP = 'churn-endpoint';
export const PACKAGE_ARN = (version: number) =>
  `arn:aws:sagemaker:${FAKE_ENV.region}:${FAKE_ENV.account}:model-package/${GROUP}/${version}`;

/** The endpoint as SageMaker describes it; tests change it to simulate deployments. */
export interface EndpointState {
  endpointConfigName: string;
  configs: Map<string, EndpointConfigDescription>;
  models: Map<string, ModelDescription>;
  packages: Map<string, ModelPackageDescription>;
}

function initialEndpoint(): EndpointState {
  return {
    endpointConfigName: 'churn-config-1',
    configs: new Map([
      [
        'churn-config-1',
        {
          endpointConfigName: 'churn-config-1',
          productionVariants: [
            {
              VariantName: 'AllTraffic',
              ModelName: 'churn-model-1',
              InstanceType: 'ml.m5.large',
              InitialInstanceCount: 2,
              InitialVariantWeight: 1,
            },
          ],
          dataCaptureConfig: {
            EnableCapture: true,
            InitialSamplingPercentage: 100,
            DestinationS3Uri: 's3://example-ml-data/datacapture',
            CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
          },
        },
      ],
    ]),
    models: new Map([
      [
        'churn-model-1',
        {
          modelName: 'churn-model-1',
          image: 'image:1',
          modelDataUrl: 's3://example-ml-data/churn/models/old/model.tar.gz',
          modelPackageName: PACKAGE_ARN(1),
        },
      ],
    ]),
    packages: new Map(
      [1, 2, 3].map((version) => [
        PACKAGE_ARN(version),
        {
          modelPackageArn: PACKAGE_ARN(version),
          groupName: GROUP,
          approvalStatus: version === 3 ? 'PendingManualApproval' : 'Approved',
          dataQualityBaseline: {
            statisticsS3Uri: `s3://example-ml-data/driftwatch/reports/churn-endpoint/retraining/churn-endpoint/run-${version}/baseline/statistics.json`,
            constraintsS3Uri: `s3://example-ml-data/driftwatch/reports/churn-endpoint/retraining/churn-endpoint/run-${version}/baseline/constraints.json`,
          },
        },
      ]),
    ),
  };
}

/** The simulated account: audit trail, S3, SageMaker's view of the endpoint, running executions. */
export class World {
  readonly auditStore = new MemoryAuditStore();
  readonly clock = fixedClock('2026-11-26T10:00:00Z');
  readonly trail = new AuditTrail(this.auditStore, this.clock, { pause: async () => {} });
  readonly s3 = new MemoryObjectStore();
  readonly endpoint = initialEndpoint();
  readonly running = new Set<string>();
  private executions = 0;

  readonly catalog: ModelCatalog = {
    describeEndpoint: async (name) => ({
      endpointName: name,
      endpointConfigName: this.endpoint.endpointConfigName,
      status: 'InService',
    }),
    describeEndpointConfig: async (name) => {
      const config = this.endpoint.configs.get(name);
      if (config === undefined) throw new Error(`no endpoint config ${name}`);
      return structuredClone(config);
    },
    describeModel: async (name) => this.endpoint.models.get(name) ?? { modelName: name },
    describeModelPackage: async (arn) => {
      const pkg = this.endpoint.packages.get(arn);
      if (pkg === undefined) throw new Error(`no package ${arn}`);
      return pkg;
    },
  };

  /** The real driftwatch functions of both workflows over this world's ports. */
  functionHandlers(): Record<string, TaskHandler> {
    const audit = auditAppend({ endpointName: ENDPOINT, trail: this.trail });
    const guard = retrainGuard({
      endpointName: ENDPOINT,
      cooldownHours: 24,
      trail: this.trail,
      executions: { status: async (arn) => (this.running.has(arn) ? 'RUNNING' : 'SUCCEEDED') },
      clock: this.clock,
    });
    const champion = resolveChampion({
      endpointName: ENDPOINT,
      variants: ['AllTraffic'],
      catalog: this.catalog,
    });
    const plan = planDeployment({
      endpointName: ENDPOINT,
      modelPackageGroupName: GROUP,
      deployment: {},
      catalog: this.catalog,
    });
    const rotate = rotateBaseline({
      store: this.s3,
      remove: async (location) => {
        this.s3.objects.delete(`${location.bucket}/${location.key}`);
      },
      baselineS3Uri: 's3://example-ml-data/baselines/churn-endpoint/',
    });
    return {
      Guard: guard,
      'Find champion': champion,
      'Plan deployment': plan,
      'Rotate baseline': rotate,
      audit,
    };
  }

  /** Runs `asl` as a new execution named `name`; every state named `Record ...` is the real audit-append. */
  async run(
    asl: AslDefinition,
    input: unknown,
    handlers: Record<string, TaskHandler>,
    name?: string,
  ): Promise<LocalRun> {
    this.executions += 1;
    const executionName = name ?? `run-${this.executions}`;
    const id = `arn:aws:states:${FAKE_ENV.region}:${FAKE_ENV.account}:execution:sm:${executionName}`;
    const real = this.functionHandlers();
    const audit = real.audit as TaskHandler;
    const recorders = Object.fromEntries(
      Object.keys(asl.States)
        .filter((n) => n.startsWith('Record '))
        .map((n) => [n, audit]),
    );
    this.running.add(id);
    try {
      return await runLocally(
        asl,
        input,
        { ...recorders, ...real, ...handlers },
        {
          id,
          name: executionName,
          startTime: this.clock.now().toISOString(),
        },
      );
    } finally {
      this.running.delete(id);
    }
  }

  /** The audit records, after checking that the chain is intact. */
  records(): AuditRecord[] {
    const objects = [...this.auditStore.objects.entries()]
      .filter(([key]) => key.startsWith(`${ENDPOINT}/`))
      .map(([key, text]) => ({ name: key.slice(ENDPOINT.length + 1), value: JSON.parse(text) as unknown }));
    const chain = verifyChain(ENDPOINT, objects);
    if (!chain.intact) throw new Error(`audit chain broken: ${JSON.stringify(chain.problems)}`);
    return chain.records;
  }
}
