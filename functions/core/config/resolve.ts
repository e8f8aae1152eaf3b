import {
  type AutoDriftSettings,
  type DataQualitySettings,
  type DriftLevel,
  type DriftMethod,
  effectiveDriftMethods,
  inheritedDriftThreshold,
  MODEL_MONITOR_DATA_QUALITY_DEFAULTS,
  type ResolvedDataQuality,
} from './drift-schema.js';
import type { EndpointConfig, FeatureConfig } from './endpoint-schema.js';
import type { MonitorConfig } from './schema.js';

/** Thrown when code asks a validated configuration for an endpoint it does not contain. */
export class ConfigLookupError extends Error {
  override readonly name = 'ConfigLookupError';
}

/** The drift method and threshold one feature is judged with. */
export interface ResolvedFeatureDrift {
  method: DriftMethod;
  /** The configured threshold; absent when none applies, so the drift module's default for the method is used. */
  threshold?: number;
  /** Minimum non-missing values on each side for a verdict. */
  minSamples: number;
}

/** The endpoint named `endpointName`. @throws ConfigLookupError naming the configured endpoints. */
export function findEndpoint(config: MonitorConfig, endpointName: string): EndpointConfig {
  const endpoint = config.endpoints.find((candidate) => candidate.name === endpointName);
  if (endpoint === undefined) {
    const names = config.endpoints.map((candidate) => JSON.stringify(candidate.name)).join(', ');
    throw new ConfigLookupError(
      `endpoint ${JSON.stringify(endpointName)} is not configured (configured: ${names})`,
    );
  }
  return endpoint;
}

/** The `features` entry for `featureName`, if the endpoint lists one. */
export function findFeature(endpoint: EndpointConfig, featureName: string): FeatureConfig | undefined {
  return endpoint.features.find((feature) => feature.name === featureName);
}

/**
 * The drift settings for one feature (or output) of one endpoint. Precedence, field by field: the feature's
 * `drift` > the endpoint's `drift` > `defaults.drift`. The method is the most specific one set. The threshold is the
 * most specific one set at a level whose method in effect is that same method (a threshold written for another
 * method never carries over); when there is none, `threshold` is absent and the method's default applies.
 * @throws ConfigLookupError when the endpoint is not configured.
 */
export function resolveFeatureDrift(
  config: MonitorConfig,
  endpointName: string,
  featureName: string,
): ResolvedFeatureDrift {
  const endpoint = findEndpoint(config, endpointName);
  const feature = findFeature(endpoint, featureName);
  const levels: DriftLevel[] = [
    { path: ['defaults', 'drift'], settings: config.defaults.drift },
    { path: ['endpoint', 'drift'], settings: endpoint.drift },
  ];
  if (feature?.drift !== undefined) {
    levels.push({ path: ['feature', 'drift'], settings: feature.drift });
  }
  const methods = effectiveDriftMethods(levels);
  const method = methods[methods.length - 1] ?? config.defaults.drift.method;
  const threshold = inheritedDriftThreshold(levels);
  const minSamples =
    feature?.drift?.minSamples ?? endpoint.drift.minSamples ?? config.defaults.drift.minSamples;
  return threshold === undefined ? { method, minSamples } : { method, threshold, minSamples };
}

/** The `auto` method's settings for one endpoint: the endpoint's overrides > `defaults.drift.auto`. */
export function resolveAutoDriftSettings(config: MonitorConfig, endpointName: string): AutoDriftSettings {
  const endpoint = findEndpoint(config, endpointName);
  const global = config.defaults.drift.auto;
  return {
    alpha: endpoint.drift.auto?.alpha ?? global.alpha,
    minEffect: endpoint.drift.auto?.minEffect ?? global.minEffect,
  };
}

/**
 * The data-quality settings for one feature (or for the endpoint as a whole when `featureName` is omitted).
 * Precedence, field by field: feature > endpoint > `defaults.dataQuality` > `baseline` (the baseline
 * constraints.json monitoring_config, already mapped to these names) > MODEL_MONITOR_DATA_QUALITY_DEFAULTS.
 * @throws ConfigLookupError when the endpoint is not configured.
 */
export function resolveFeatureDataQuality(
  config: MonitorConfig,
  endpointName: string,
  featureName?: string,
  baseline: DataQualitySettings = {},
): ResolvedDataQuality {
  const endpoint = findEndpoint(config, endpointName);
  const feature = featureName === undefined ? undefined : findFeature(endpoint, featureName);
  const layers: DataQualitySettings[] = [
    feature?.dataQuality ?? {},
    endpoint.dataQuality,
    config.defaults.dataQuality,
    baseline,
  ];
  const pick = <K extends keyof ResolvedDataQuality>(key: K): ResolvedDataQuality[K] => {
    for (const layer of layers) {
      const value = layer[key];
      if (value !== undefined) {
        return value as ResolvedDataQuality[K];
      }
    }
    return MODEL_MONITOR_DATA_QUALITY_DEFAULTS[key];
  };
  return {
    evaluateConstraints: pick('evaluateConstraints'),
    emitMetrics: pick('emitMetrics'),
    datatypeCheckThreshold: pick('datatypeCheckThreshold'),
    domainContentThreshold: pick('domainContentThreshold'),
    completenessTolerance: pick('completenessTolerance'),
    performComparison: pick('performComparison'),
    comparisonThreshold: pick('comparisonThreshold'),
    comparisonMethod: pick('comparisonMethod'),
    categoricalComparisonThreshold: pick('categoricalComparisonThreshold'),
    categoricalDriftMethod: pick('categoricalDriftMethod'),
  };
}
