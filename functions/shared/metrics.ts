/**
 * Metric namespaces, names and dimensions: the contract between the functions that publish metrics and the
 * alarms and dashboards the stack builds on them. Model Monitor-compatible names keep existing alarms working.
 */

/** Model Monitor's data-quality namespace for endpoints (as AWS code and samples spell it). */
export const MODEL_MONITOR_DATA_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
/** Model Monitor's model-quality namespace for endpoints. */
export const MODEL_MONITOR_MODEL_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';
/** driftwatch's own, richer metrics. */
export const DRIFTWATCH_NAMESPACE = 'driftwatch';
/** The endpoint's own operational metrics, published by SageMaker. */
export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';

/** Dimension names. */
export const DIMENSIONS = {
  /** Model Monitor-compatible metrics: the endpoint name. */
  endpoint: 'Endpoint',
  /** Model Monitor-compatible metrics: the monitoring schedule name. */
  monitoringSchedule: 'MonitoringSchedule',
  /** driftwatch metrics. */
  variant: 'Variant',
  feature: 'Feature',
  method: 'Method',
  checkType: 'CheckType',
  /** driftwatch's copy of a model-quality metric: the Model Monitor metric name (e.g. `auc`). */
  metric: 'Metric',
  /** AWS/SageMaker metrics. */
  endpointName: 'EndpointName',
  variantName: 'VariantName',
} as const;

/** Model Monitor-compatible per-feature metric names (value = Model Monitor's drift distance, etc.). */
export const modelMonitorMetric = {
  baselineDrift: (feature: string) => `feature_baseline_drift_${feature}`,
  data: (feature: string) => `feature_data_${feature}`,
  nonNull: (feature: string) => `feature_non_null_${feature}`,
} as const;

/** driftwatch's own metric names (namespace DRIFTWATCH_NAMESPACE). */
export const METRICS = {
  /** The drift statistic of a feature (dims Endpoint, Variant, Feature, Method). */
  driftStatistic: 'DriftStatistic',
  /** 1 when a feature drifted, else 0 (dims Endpoint, Variant, Feature). */
  featureDrifted: 'FeatureDrifted',
  /** Share of input features that drifted, 0..1 (dims Endpoint, Variant). */
  driftedFeatureShare: 'DriftedFeatureShare',
  /** Prediction drift statistic (dims Endpoint, Variant, Method). */
  predictionDrift: 'PredictionDriftStatistic',
  /** Constraint violations by check type (dims Endpoint, Variant, CheckType) and in total (Endpoint, Variant). */
  violations: 'Violations',
  /** Capture records accepted / rejected (dims Endpoint, Variant). */
  recordsAccepted: 'RecordsAccepted',
  recordsRejected: 'RecordsRejected',
  /** Rejected / (accepted + rejected) of one capture object (dims Endpoint, Variant). */
  rejectedRecordRate: 'RejectedRecordRate',
  /** Milliseconds to process one capture object, from the ingest function (dims Endpoint, Variant). */
  processingTime: 'ProcessingTime',
  /** Seconds from the newest inferenceTime of an object to its metrics (dims Endpoint, Variant). */
  captureToMetricLag: 'CaptureToMetricLag',
  /** 1 when the baseline could not be loaded, 0 when it was (dims Endpoint); published by both functions. */
  baselineUnavailable: 'BaselineUnavailable',
  /**
   * Share of input features whose drift verdict is positive for ONE capture object, from the ingest function
   * (dims Endpoint, Variant): the low-latency signal. DriftedFeatureShare is the authoritative window value.
   */
  objectDriftedFeatureShare: 'ObjectDriftedFeatureShare',
  /** 1 per capture object skipped because it is larger than payload.maxObjectBytes (dims Endpoint, Variant). */
  objectsTooLarge: 'ObjectsTooLarge',
  /** Milliseconds to evaluate one window, from the evaluate-window function (dims Endpoint). */
  windowProcessingTime: 'WindowProcessingTime',
  /** Joined captures / captures of a model-quality window, 0..1 (dims Endpoint). */
  groundTruthJoinRate: 'GroundTruthJoinRate',
  /** Captures of a model-quality window joined to a label (dims Endpoint). */
  labelsJoined: 'LabelsJoined',
  /** Captures of a model-quality window without a label within the lookback yet (dims Endpoint). */
  unmatchedCaptures: 'UnmatchedCaptures',
  /** Labels read for a window whose id no capture of the window carries (dims Endpoint). */
  orphanedLabels: 'OrphanedLabels',
  /** Ground-truth lines rejected as unreadable (dims Endpoint). */
  groundTruthRecordsRejected: 'GroundTruthRecordsRejected',
  /** Median and 90th percentile of collection hour - inference hour of the joined labels (dims Endpoint). */
  labelLatencyMedianHours: 'LabelLatencyMedianHours',
  labelLatencyP90Hours: 'LabelLatencyP90Hours',
  /** Joined (prediction, label) pairs the model-quality metrics were computed from (dims Endpoint). */
  qualityPairs: 'ModelQualityPairs',
  /** A model-quality metric under its Model Monitor name (dims Endpoint, Metric). */
  modelQuality: 'ModelQuality',
  /** Model-quality constraint violations of a window (dims Endpoint). */
  qualityViolations: 'ModelQualityViolations',
  /** Milliseconds to merge ground truth and evaluate one model-quality window (dims Endpoint). */
  mergeProcessingTime: 'MergeProcessingTime',
} as const;

/**
 * Label-free CBPE estimates of a window's quality, from its captured probabilities and a calibration (dims
 * Endpoint). Named as estimates so they are never confused with the measured metrics.
 */
export const ESTIMATE_METRICS = {
  accuracy: 'EstimatedAccuracy',
  precision: 'EstimatedPrecision',
  recall: 'EstimatedRecall',
  f1: 'EstimatedF1',
  auc: 'EstimatedAuc',
} as const;

/** The values of the CheckType dimension of METRICS.violations: Model Monitor's constraint_check_type values. */
export const VIOLATION_CHECK_TYPES = [
  'data_type_check',
  'completeness_check',
  'baseline_drift_check',
  'missing_column_check',
  'extra_column_check',
  'categorical_values_check',
] as const;
