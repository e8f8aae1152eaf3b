import { describe, expect, it } from 'vitest';
import { parseMonitorConfig } from '../../../functions/core/config/parse.js';
import {
  ConfigLookupError,
  findEndpoint,
  resolveAutoDriftSettings,
  resolveFeatureDataQuality,
  resolveFeatureDrift,
} from '../../../functions/core/config/resolve.js';
import { MODEL_MONITOR_DATA_QUALITY_DEFAULTS } from '../../../functions/core/config/schema.js';

interface DriftLevels {
  defaults?: Record<string, unknown>;
  endpoint?: Record<string, unknown>;
  feature?: Record<string, unknown>;
}

function configWith(levels: DriftLevels) {
  return parseMonitorConfig({
    version: 1,
    defaults: { drift: levels.defaults ?? {} },
    endpoints: [
      {
        name: 'churn',
        capture: { s3Uri: 's3://example-ml-data/c' },
        baseline: { s3Uri: 's3://example-ml-data/b' },
        drift: levels.endpoint ?? {},
        features: [{ name: 'age', ...(levels.feature === undefined ? {} : { drift: levels.feature }) }],
      },
    ],
  });
}

describe('resolveFeatureDrift', () => {
  it.each([
    ['nothing is set', {}, { method: 'auto', minSamples: 30 }],
    ['only the defaults set a method', { defaults: { method: 'psi' } }, { method: 'psi', minSamples: 30 }],
    [
      'the defaults set method and threshold',
      { defaults: { method: 'psi', threshold: 0.25 } },
      { method: 'psi', threshold: 0.25, minSamples: 30 },
    ],
    [
      'the endpoint overrides the method',
      { defaults: { method: 'psi', threshold: 0.25 }, endpoint: { method: 'ks' } },
      { method: 'ks', minSamples: 30 },
    ],
    [
      'the endpoint overrides only the threshold',
      { defaults: { method: 'psi', threshold: 0.25 }, endpoint: { threshold: 0.3 } },
      { method: 'psi', threshold: 0.3, minSamples: 30 },
    ],
    [
      'the feature returns to the global method',
      {
        defaults: { method: 'psi', threshold: 0.25 },
        endpoint: { method: 'ks' },
        feature: { method: 'psi' },
      },
      { method: 'psi', threshold: 0.25, minSamples: 30 },
    ],
    [
      'the feature sets a threshold for the endpoint method',
      {
        defaults: { method: 'psi', threshold: 0.25 },
        endpoint: { method: 'ks' },
        feature: { threshold: 0.01 },
      },
      { method: 'ks', threshold: 0.01, minSamples: 30 },
    ],
    [
      'the feature overrides everything',
      {
        defaults: { method: 'psi', threshold: 0.25, minSamples: 10 },
        endpoint: { method: 'ks', threshold: 0.01, minSamples: 20 },
        feature: { method: 'js', threshold: 0.2, minSamples: 40 },
      },
      { method: 'js', threshold: 0.2, minSamples: 40 },
    ],
    [
      'minSamples comes from the endpoint',
      { defaults: { minSamples: 10 }, endpoint: { minSamples: 20 } },
      { method: 'auto', minSamples: 20 },
    ],
    [
      'a threshold is set with auto',
      { endpoint: { threshold: 0.15 } },
      { method: 'auto', threshold: 0.15, minSamples: 30 },
    ],
    [
      'a feature switches method and keeps none of the thresholds above',
      { defaults: { method: 'linf', threshold: 0.2 }, feature: { method: 'wasserstein_norm' } },
      { method: 'wasserstein_norm', minSamples: 30 },
    ],
  ])('computes the settings when %s', (_case, levels, expected) => {
    // Given drift settings at the global, endpoint and feature levels
    const config = configWith(levels);
    // When the feature's settings are resolved
    const resolved = resolveFeatureDrift(config, 'churn', 'age');
    // Then precedence is feature > endpoint > defaults, and thresholds stay with their method
    expect(resolved).toEqual(expected);
  });

  it('computes the endpoint settings for a feature without overrides', () => {
    // Given an endpoint override and a feature that is not listed
    const config = configWith({ defaults: { method: 'psi' }, endpoint: { threshold: 0.3 } });
    // When an unlisted feature is resolved
    // Then the endpoint and global levels apply
    expect(resolveFeatureDrift(config, 'churn', 'tenure')).toEqual({
      method: 'psi',
      threshold: 0.3,
      minSamples: 30,
    });
  });

  it('throws when the endpoint is not configured', () => {
    // Given a configuration with one endpoint
    const config = configWith({});
    // When another endpoint is asked for
    const resolve = () => resolveFeatureDrift(config, 'fraud', 'age');
    // Then the lookup error names the endpoint and the configured ones
    expect(resolve).toThrow(ConfigLookupError);
    expect(resolve).toThrow('endpoint "fraud" is not configured (configured: "churn")');
  });
});

describe('resolveAutoDriftSettings', () => {
  it.each([
    [{}, {}, { alpha: 0.01, minEffect: 0.1 }],
    [{ auto: { alpha: 0.05 } }, {}, { alpha: 0.05, minEffect: 0.1 }],
    [{ auto: { alpha: 0.05 } }, { auto: { minEffect: 0.2 } }, { alpha: 0.05, minEffect: 0.2 }],
    [{}, { auto: { alpha: 0.001, minEffect: 0 } }, { alpha: 0.001, minEffect: 0 }],
  ])('computes the auto settings from defaults %j and endpoint %j', (defaults, endpoint, expected) => {
    // Given auto tuning at the global and endpoint levels
    const config = configWith({ defaults, endpoint });
    // When the endpoint's auto settings are resolved
    // Then endpoint fields override global ones field by field
    expect(resolveAutoDriftSettings(config, 'churn')).toEqual(expected);
  });
});

describe('resolveFeatureDataQuality', () => {
  const config = parseMonitorConfig({
    version: 1,
    defaults: { dataQuality: { comparisonThreshold: 0.2, datatypeCheckThreshold: 0.9 } },
    endpoints: [
      {
        name: 'churn',
        capture: { s3Uri: 's3://example-ml-data/c' },
        baseline: { s3Uri: 's3://example-ml-data/b' },
        dataQuality: { comparisonThreshold: 0.3, comparisonMethod: 'Robust' },
        features: [{ name: 'plan', dataQuality: { comparisonThreshold: 0.4 } }],
      },
    ],
  });

  it('computes Model Monitor defaults where nothing else is set', () => {
    // Given a configuration without data-quality settings and no baseline values
    const bare = parseMonitorConfig({
      version: 1,
      endpoints: [
        {
          name: 'e',
          capture: { s3Uri: 's3://example-ml-data/c' },
          baseline: { s3Uri: 's3://example-ml-data/b' },
        },
      ],
    });
    // When the endpoint's settings are resolved
    // Then they are Model Monitor's defaults (values of the suggested constraints.json: 1.0, 1.0, 0.1, ...)
    expect(resolveFeatureDataQuality(bare, 'e')).toEqual({
      evaluateConstraints: true,
      emitMetrics: true,
      datatypeCheckThreshold: 1,
      domainContentThreshold: 1,
      completenessTolerance: 0,
      performComparison: true,
      comparisonThreshold: 0.1,
      comparisonMethod: 'Simple',
      categoricalComparisonThreshold: 0.1,
      categoricalDriftMethod: 'LInfinity',
    });
    expect(resolveFeatureDataQuality(bare, 'e')).toEqual(MODEL_MONITOR_DATA_QUALITY_DEFAULTS);
  });

  it('computes feature > endpoint > defaults > baseline > Model Monitor, field by field', () => {
    // Given values at every level and a baseline monitoring_config
    const baseline = { comparisonThreshold: 0.05, domainContentThreshold: 0.8, datatypeCheckThreshold: 0.5 };
    // When a listed feature, an unlisted feature and the endpoint are resolved
    const plan = resolveFeatureDataQuality(config, 'churn', 'plan', baseline);
    const other = resolveFeatureDataQuality(config, 'churn', 'tenure', baseline);
    const endpoint = resolveFeatureDataQuality(config, 'churn', undefined, baseline);
    // Then each field comes from the most specific level that sets it
    expect(plan).toMatchObject({
      comparisonThreshold: 0.4,
      comparisonMethod: 'Robust',
      datatypeCheckThreshold: 0.9,
      domainContentThreshold: 0.8,
      categoricalDriftMethod: 'LInfinity',
    });
    expect(other).toMatchObject({
      comparisonThreshold: 0.3,
      comparisonMethod: 'Robust',
      datatypeCheckThreshold: 0.9,
    });
    expect(endpoint).toEqual(other);
  });
});

describe('findEndpoint', () => {
  it('computes the endpoint by name', () => {
    // Given a configuration with one endpoint
    const config = configWith({});
    // When it is looked up
    // Then derived defaults are present on it
    expect(findEndpoint(config, 'churn').monitoringScheduleName).toBe('churn-driftwatch');
  });
});
