/**
 * Plan-deployment Lambda, the first task of the deployment state machine. It reads the request (a "SageMaker
 * Model Package State Change" event to Approved, or `{"modelPackageArn": "...", "reason": "..."}` by hand, e.g. to
 * roll back to an earlier package), checks the package (this endpoint's group, Approved), reads the endpoint's
 * current configuration and returns what the SageMaker tasks send: the new model and endpoint-config names, the
 * production variants (same names and settings, the new model, the configured instance type/count if any) and
 * the data capture settings (kept, with capture on). It also says whether the package is already deployed and
 * what to roll back to (the current endpoint config and the package it serves, if any).
 *
 * Task input: `{ "input": <execution input>, "executionArn": $$.Execution.Id, "startTime": $$.Execution.StartTime }`.
 * Errors: InvalidEventError, DeploymentPlanError, AwsServiceError (retried).
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { SageMakerCatalog } from '../adapters/sagemaker-catalog.js';
import { runNames } from '../core/audit/run-guard.js';
import type { DeploymentConfig } from '../core/config/workflow-schema.js';
import { DeploymentPlanError, InvalidEventError } from '../errors.js';
import type { ModelCatalog, SageMakerShape } from '../ports/model-catalog.js';
import { lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, withMiddleware } from './runtime.js';
import { describeIssues, parseEvent } from './validation.js';

/** What plan-deployment needs. */
export interface PlanDeploymentDeps {
  endpointName: string;
  modelPackageGroupName: string;
  deployment: Pick<DeploymentConfig, 'instanceType' | 'initialInstanceCount'>;
  catalog: ModelCatalog;
}

/** A validated deployment request. */
export interface DeploymentRequest {
  modelPackageArn: string;
  /** `approval`: the package was approved in the registry; `manual`: started by hand (e.g. a rollback). */
  source: 'approval' | 'manual';
  reason: string;
}

/** What the deployment state machine does next. */
export interface DeploymentPlan {
  request: DeploymentRequest;
  /** The audit kind of the request: `approval` for an approval event, `trigger` for a request by hand. */
  requestKind: 'approval' | 'trigger';
  /** The package is what the endpoint already serves: nothing to do. */
  alreadyDeployed: boolean;
  modelName: string;
  endpointConfigName: string;
  productionVariants: SageMakerShape[];
  dataCaptureConfig: SageMakerShape;
  /** Drift-check baselines of the package, for the baseline rotation. */
  baseline: { statisticsS3Uri: string; constraintsS3Uri: string } | null;
  /** What a rollback returns to. */
  previous: { endpointConfigName: string; modelNames: string[]; modelPackageArn: string | null };
}

const PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/.+$/;
const packageArn = z.string({ error: 'expected a model package ARN' }).regex(PACKAGE_ARN, {
  error: 'expected a model package ARN (arn:aws:sagemaker:<region>:<account>:model-package/...)',
});

const ApprovalEvent = z.object({
  source: z.literal('aws.sagemaker'),
  'detail-type': z.literal('SageMaker Model Package State Change', {
    error: 'expected "SageMaker Model Package State Change"',
  }),
  detail: z.object({
    ModelPackageArn: packageArn,
    ModelApprovalStatus: z.literal('Approved', { error: 'expected "Approved" (only approval deploys)' }),
    ApprovalDescription: z.string().optional(),
  }),
});

const ManualRequest = z.strictObject({
  modelPackageArn: packageArn,
  reason: z
    .string({ error: 'expected the reason for deploying by hand' })
    .min(1, { error: 'expected the reason for deploying by hand' })
    .max(1024, { error: 'expected a reason of at most 1024 characters' }),
});

const PlanEvent = z.object({
  input: z.unknown(),
  executionArn: z.string({ error: 'expected the execution ARN ($$.Execution.Id)' }).min(1),
  startTime: z.iso.datetime({ error: 'expected the execution start time ($$.Execution.StartTime)' }),
});

/**
 * Reads the execution input as a deployment request.
 * @throws InvalidEventError naming the field and what was expected
 */
export function parseDeploymentRequest(input: unknown): DeploymentRequest {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  if (record.source === 'aws.sagemaker') {
    const { ModelPackageArn, ApprovalDescription } = parseEvent(
      ApprovalEvent,
      input,
      'model package event',
      '(input)',
    ).detail;
    return {
      modelPackageArn: ModelPackageArn,
      source: 'approval',
      reason: ApprovalDescription ?? 'approved',
    };
  }
  const parsed = ManualRequest.safeParse(input);
  if (!parsed.success) {
    throw new InvalidEventError(
      `expected a "SageMaker Model Package State Change" event or {"modelPackageArn": "...", "reason": "..."}: ` +
        describeIssues(parsed.error, '(input)'),
    );
  }
  return { ...parsed.data, source: 'manual' };
}

/** Plans the deployment of `request` through the catalog. */
export async function planDeployment(
  deps: PlanDeploymentDeps,
  request: DeploymentRequest,
  executionArn: string,
  startTime: Date,
): Promise<DeploymentPlan> {
  const pkg = await deps.catalog.describeModelPackage(request.modelPackageArn);
  if (pkg.groupName !== deps.modelPackageGroupName) {
    throw new DeploymentPlanError(
      `${request.modelPackageArn} belongs to model package group "${pkg.groupName ?? '(none)'}", not ` +
        `"${deps.modelPackageGroupName}" of endpoint ${deps.endpointName}`,
    );
  }
  if (pkg.approvalStatus !== 'Approved') {
    throw new DeploymentPlanError(
      `${request.modelPackageArn} is ${pkg.approvalStatus ?? 'not approved'}; only Approved packages are deployed ` +
        '(approve it in the Model Registry first)',
    );
  }
  const endpoint = await deps.catalog.describeEndpoint(deps.endpointName);
  const current = await deps.catalog.describeEndpointConfig(endpoint.endpointConfigName);
  if (current.dataCaptureConfig === undefined) {
    throw new DeploymentPlanError(
      `endpoint config ${current.endpointConfigName} of ${deps.endpointName} has no DataCaptureConfig; driftwatch ` +
        'keeps capture on and cannot deploy without knowing where it goes (enable data capture on the endpoint)',
    );
  }
  const modelNames = current.productionVariants
    .map((v) => v.ModelName)
    .filter((name): name is string => typeof name === 'string');
  const models = await Promise.all([...new Set(modelNames)].map((name) => deps.catalog.describeModel(name)));
  const previousPackage = models.map((m) => m.modelPackageName).find((name) => name !== undefined) ?? null;
  const names = runNames(deps.endpointName, startTime, executionArn);
  const { instanceType, initialInstanceCount } = deps.deployment;
  const baseline = pkg.dataQualityBaseline;
  return {
    request,
    requestKind: request.source === 'approval' ? 'approval' : 'trigger',
    alreadyDeployed: models.length > 0 && models.every((m) => m.modelPackageName === request.modelPackageArn),
    modelName: names.model,
    endpointConfigName: names.trainingJob,
    productionVariants: current.productionVariants.map((variant) => ({
      ...variant,
      ModelName: names.model,
      ...(instanceType !== undefined && variant.ServerlessConfig === undefined
        ? { InstanceType: instanceType }
        : {}),
      ...(initialInstanceCount !== undefined && variant.ServerlessConfig === undefined
        ? { InitialInstanceCount: initialInstanceCount }
        : {}),
    })),
    dataCaptureConfig: { ...current.dataCaptureConfig, EnableCapture: true },
    baseline:
      baseline?.statisticsS3Uri !== undefined && baseline.constraintsS3Uri !== undefined
        ? { statisticsS3Uri: baseline.statisticsS3Uri, constraintsS3Uri: baseline.constraintsS3Uri }
        : null,
    previous: {
      endpointConfigName: current.endpointConfigName,
      modelNames,
      modelPackageArn: previousPackage,
    },
  };
}

/** The handler over its ports. */
export function createHandler(deps: PlanDeploymentDeps): (event: unknown) => Promise<DeploymentPlan> {
  return async (event) => {
    const { input, executionArn, startTime } = parseEvent(
      PlanEvent,
      event,
      'plan-deployment task input',
      '(input)',
    );
    return planDeployment(deps, parseDeploymentRequest(input), executionArn, new Date(startTime));
  };
}

const logger = createLogger();

/** Dependencies from the environment: the endpoint's deployment settings, a SageMaker client. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): PlanDeploymentDeps {
  const { endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  return {
    endpointName: endpoint.name,
    modelPackageGroupName: endpoint.modelPackageGroupName,
    deployment: {
      ...(endpoint.deployment?.instanceType !== undefined
        ? { instanceType: endpoint.deployment.instanceType }
        : {}),
      ...(endpoint.deployment?.initialInstanceCount !== undefined
        ? { initialInstanceCount: endpoint.deployment.initialInstanceCount }
        : {}),
    },
    catalog: new SageMakerCatalog(new SageMakerClient({})),
  };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);
