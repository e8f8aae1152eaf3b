/**
 * Resolve-champion Lambda, a task of the retraining state machine: finds the model the endpoint serves now (the
 * champion), which the challenger is scored against. The champion is the model of the endpoint's first configured
 * variant (`variants[0]`), else of its first production variant.
 *
 * Task input: `{}`. Returns `{ endpointConfigName, variantName, modelName, image?, modelDataUrl?, modelPackageArn? }`.
 * Errors: AwsServiceError (retried), DeploymentPlanError (the endpoint has no variant).
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerCatalog } from '../adapters/sagemaker-catalog.js';
import { DeploymentPlanError } from '../errors.js';
import type { ModelCatalog } from '../ports/model-catalog.js';
import { lifecycleEndpoint } from './lifecycle-runtime.js';
import { BUNDLED_CONFIG_FILE, createLogger, once, withMiddleware } from './runtime.js';

/** What resolve-champion needs. */
export interface ResolveChampionDeps {
  endpointName: string;
  /** Variant names from the configuration, in order. */
  variants: readonly string[];
  catalog: ModelCatalog;
}

/** The model the endpoint serves now. */
export interface Champion {
  endpointConfigName: string;
  variantName: string;
  modelName: string;
  image?: string;
  modelDataUrl?: string;
  modelPackageArn?: string;
}

/** Finds the champion through the catalog. */
export async function resolveChampion(deps: ResolveChampionDeps): Promise<Champion> {
  const endpoint = await deps.catalog.describeEndpoint(deps.endpointName);
  const config = await deps.catalog.describeEndpointConfig(endpoint.endpointConfigName);
  const variants = config.productionVariants;
  const preferred = variants.find((v) => v.VariantName === deps.variants[0]) ?? variants[0];
  const variantName = preferred?.VariantName;
  const modelName = preferred?.ModelName;
  if (typeof variantName !== 'string' || typeof modelName !== 'string') {
    throw new DeploymentPlanError(
      `endpoint ${deps.endpointName} (config ${endpoint.endpointConfigName}) has no production variant with a model`,
    );
  }
  const model = await deps.catalog.describeModel(modelName);
  return {
    endpointConfigName: endpoint.endpointConfigName,
    variantName,
    modelName,
    ...(model.image !== undefined ? { image: model.image } : {}),
    ...(model.modelDataUrl !== undefined ? { modelDataUrl: model.modelDataUrl } : {}),
    ...(model.modelPackageName !== undefined ? { modelPackageArn: model.modelPackageName } : {}),
  };
}

/** The handler over its ports. */
export function createHandler(deps: ResolveChampionDeps): (event: unknown) => Promise<Champion> {
  return async () => resolveChampion(deps);
}

const logger = createLogger();

/** Dependencies from the environment: the endpoint from the bundled configuration, a SageMaker client. */
export function defaultDeps(env: NodeJS.ProcessEnv = process.env): ResolveChampionDeps {
  const { endpoint } = lifecycleEndpoint(env, new URL(`./${BUNDLED_CONFIG_FILE}`, import.meta.url));
  return {
    endpointName: endpoint.name,
    variants: endpoint.variants.map((v) => v.name),
    catalog: new SageMakerCatalog(new SageMakerClient({})),
  };
}

const run = once(() => createHandler(defaultDeps()));

/** The Lambda entry point. */
export const handler = withMiddleware((event) => run()(event), logger);
