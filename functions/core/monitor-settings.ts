import type { CaptureParseOptions } from './capture/types.js';
import type { DataQualitySettings } from './config/drift-schema.js';
import {
  findEndpoint,
  resolveAutoDriftSettings,
  resolveFeatureDataQuality,
  resolveFeatureDrift,
} from './config/resolve.js';
import type { MonitorConfig } from './config/schema.js';
import type { DriftSettings } from './drift/compare.js';
import type { AutoRuleSettings } from './drift/methods.js';
import type { ConstraintsFile, MonitoringConfig, MonitoringConfigOverrides } from './model-monitor/types.js';

/**
 * Everything the engine needs from the monitor configuration for one endpoint. The CLI and the deployed
 * functions both build their settings here, so a threshold means the same thing in CI and in production.
 */
export interface EndpointMonitorSettings {
  endpointName: string;
  settingsFor: (name: string, kind: 'numeric' | 'categorical', isOutput: boolean) => DriftSettings;
  auto: AutoRuleSettings;
  capture: CaptureParseOptions;
  categoricalTopK: number;
  sketchK: number;
  /** Features excluded from drift and data-quality checks (`enabled: false`). */
  disabledFeatures: ReadonlySet<string>;
  /** Declared feature types (`features[].type`), applied when the baseline is loaded. */
  featureTypes: ReadonlyMap<string, 'numeric' | 'categorical'>;
  /** The baseline's constraints with the configuration's data-quality settings applied. */
  applyConstraints: (constraints: ConstraintsFile) => ConstraintsFile;
}

const flag = (b: boolean) => (b ? 'Enabled' : 'Disabled');

/** The baseline's monitoring_config in the configuration's terms, the lowest layer of data-quality resolution. */
function fromMonitoringConfig(m: MonitoringConfig): DataQualitySettings {
  const dc = m.distribution_constraints;
  return {
    evaluateConstraints: m.evaluate_constraints === 'Enabled',
    emitMetrics: m.emit_metrics === 'Enabled',
    datatypeCheckThreshold: m.datatype_check_threshold,
    domainContentThreshold: m.domain_content_threshold,
    performComparison: dc.perform_comparison === 'Enabled',
    comparisonThreshold: dc.comparison_threshold,
    comparisonMethod: dc.comparison_method,
    ...(dc.categorical_comparison_threshold !== undefined
      ? { categoricalComparisonThreshold: dc.categorical_comparison_threshold }
      : {}),
    ...(dc.categorical_drift_method !== undefined
      ? { categoricalDriftMethod: dc.categorical_drift_method }
      : {}),
  };
}

/** Resolves the monitor configuration for one endpoint (the only one when `endpointName` is omitted). */
export function endpointMonitorSettings(
  config: MonitorConfig,
  endpointName?: string,
): EndpointMonitorSettings {
  const name = endpointName ?? soleEndpoint(config);
  const endpoint = findEndpoint(config, name);
  const disabled = new Set(endpoint.features.filter((f) => !f.enabled).map((f) => f.name));
  const { input, output, maxLineBytes } = endpoint.payload;
  const capture: CaptureParseOptions = {
    input: {
      format: input.format,
      ...(input.columns ? { columns: input.columns } : {}),
      ...(input.paths ? { paths: input.paths } : {}),
    },
    output: {
      format: output.format,
      ...(output.path ? { path: output.path } : {}),
      ...(output.names ? { names: output.names } : {}),
    },
    maxLineBytes,
  };
  return {
    endpointName: name,
    settingsFor: (feature) => {
      const r = resolveFeatureDrift(config, name, feature);
      return {
        method: r.method,
        minSamples: r.minSamples,
        ...(r.threshold !== undefined ? { threshold: r.threshold } : {}),
      };
    },
    auto: resolveAutoDriftSettings(config, name),
    capture,
    categoricalTopK: config.defaults.profile.categoricalTopK,
    sketchK: config.defaults.profile.sketchK,
    disabledFeatures: disabled,
    featureTypes: new Map(
      endpoint.features.flatMap((f) => (f.type !== undefined ? [[f.name, f.type] as const] : [])),
    ),
    applyConstraints: (constraints) => {
      const baseline = fromMonitoringConfig(constraints.monitoring_config);
      const resolved = resolveFeatureDataQuality(config, name, undefined, baseline);
      const monitoring_config: MonitoringConfig = {
        evaluate_constraints: flag(resolved.evaluateConstraints),
        emit_metrics: flag(resolved.emitMetrics),
        datatype_check_threshold: resolved.datatypeCheckThreshold,
        domain_content_threshold: resolved.domainContentThreshold,
        distribution_constraints: {
          perform_comparison: flag(resolved.performComparison),
          comparison_threshold: resolved.comparisonThreshold,
          comparison_method: resolved.comparisonMethod,
          categorical_comparison_threshold: resolved.categoricalComparisonThreshold,
          categorical_drift_method: resolved.categoricalDriftMethod,
        },
      };
      const features = constraints.features
        .filter((f) => !disabled.has(f.name))
        .map((f) => {
          const own = resolveFeatureDataQuality(config, name, f.name, baseline);
          const overrides: MonitoringConfigOverrides = { ...f.monitoringConfigOverrides };
          if (own.datatypeCheckThreshold !== resolved.datatypeCheckThreshold)
            overrides.datatype_check_threshold = own.datatypeCheckThreshold;
          if (own.domainContentThreshold !== resolved.domainContentThreshold)
            overrides.domain_content_threshold = own.domainContentThreshold;
          if (own.evaluateConstraints !== resolved.evaluateConstraints)
            overrides.evaluate_constraints = flag(own.evaluateConstraints);
          if (
            own.comparisonThreshold !== resolved.comparisonThreshold ||
            own.comparisonMethod !== resolved.comparisonMethod
          )
            overrides.distribution_constraints = {
              ...overrides.distribution_constraints,
              comparison_threshold: own.comparisonThreshold,
              comparison_method: own.comparisonMethod,
            };
          // A tolerance lowers the completeness the feature must reach.
          const completeness =
            f.completeness !== undefined
              ? Math.max(0, f.completeness - own.completenessTolerance)
              : undefined;
          return {
            ...f,
            ...(completeness !== undefined ? { completeness } : {}),
            ...(Object.keys(overrides).length > 0 ? { monitoringConfigOverrides: overrides } : {}),
          };
        });
      return { ...constraints, features, monitoring_config };
    },
  };
}

function soleEndpoint(config: MonitorConfig): string {
  const [first, ...rest] = config.endpoints;
  if (!first || rest.length > 0) {
    throw new RangeError(
      `the configuration has ${config.endpoints.length} endpoints (${config.endpoints.map((e) => e.name).join(', ')}); choose one with --endpoint`,
    );
  }
  return first.name;
}
