import { describe, expect, it } from 'vitest';
import { DeploymentPlanError } from '../../functions/errors.js';
import { createHandler } from '../../functions/handlers/resolve-champion.js';
import { PACKAGE_ARN, World } from '../workflows/world.js';

describe('resolve-champion', () => {
  it("computes the model of the endpoint's first configured variant", async () => {
    // Given an endpoint config whose first variant is not the configured one
    const world = new World();
    const config = world.endpoint.configs.get('churn-config-1');
    config?.productionVariants.unshift({ VariantName: 'Shadow', ModelName: 'shadow-model' });
    // When resolved for variants ['AllTraffic']
    const champion = await createHandler({
      endpointName: 'churn-endpoint',
      variants: ['AllTraffic'],
      catalog: world.catalog,
    })({});
    // Then the AllTraffic model is the champion, with its artifacts and package
    expect(champion).toEqual({
      endpointConfigName: 'churn-config-1',
      variantName: 'AllTraffic',
      modelName: 'churn-model-1',
      image: 'image:1',
      modelDataUrl: 's3://example-ml-data/churn/models/old/model.tar.gz',
      modelPackageArn: PACKAGE_ARN(1),
    });
  });

  it('throws when the endpoint has no variant', async () => {
    const world = new World();
    const config = world.endpoint.configs.get('churn-config-1');
    if (config) config.productionVariants = [];
    const handler = createHandler({
      endpointName: 'churn-endpoint',
      variants: ['AllTraffic'],
      catalog: world.catalog,
    });
    await expect(handler({})).rejects.toThrow(DeploymentPlanError);
    await expect(handler({})).rejects.toThrow('has no production variant with a model');
  });
});
