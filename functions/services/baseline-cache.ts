import { BASELINE_FILES, type LoadedBaseline, loadBaselineFrom } from '../core/baseline/load.js';
import { baselineProfileSchema } from '../core/baseline/schema.js';
import type { CaptureParseOptions } from '../core/capture/types.js';
import type { S3Location } from '../core/config/s3-uri.js';
import type { CompareOptions } from '../core/drift/compare.js';
import type { ConstraintsFile } from '../core/model-monitor/types.js';
import type { EndpointMonitorSettings } from '../core/monitor-settings.js';
import type { ProfileSchema } from '../core/profile/dataset-profile.js';
import { BaselineError, StorageError } from '../errors.js';
import type { LogSink } from '../ports/log-sink.js';
import type { MetricSink } from '../ports/metric-sink.js';
import type { ObjectStore } from '../ports/object-store.js';
import { DIMENSIONS, DRIFTWATCH_NAMESPACE, METRICS } from '../shared/metrics.js';
import type { EndpointContext } from './endpoint-context.js';

/** A baseline ready to profile and judge against, with everything derived from it and the configuration. */
export interface ActiveBaseline extends LoadedBaseline {
  /** The baseline's constraints with the configuration's data-quality settings applied. */
  effectiveConstraints: ConstraintsFile;
  /** The profile schema capture is profiled with (the baseline's columns, kinds and bins). */
  schema: ProfileSchema;
  /** Capture parsing options; CSV columns default to the baseline's feature order, as in the CLI. */
  capture: CaptureParseOptions;
  /** Drift comparison options from the configuration. */
  compare: CompareOptions;
  /** The ETags of the files it was loaded from; a change in any of them reloads it. */
  fingerprint: string;
  /** The s3:// prefix it was loaded from. */
  source: string;
}

/**
 * The endpoint's baseline, loaded from S3 once per container and reloaded when an ETag of its files changes.
 * Each {@link BaselineCache.get} lists the baseline prefix once (one ListObjectsV2 call, which also tells
 * whether baseline.json or only statistics.json exists) and reads the files only when they changed.
 */
export class BaselineCache {
  private cached: ActiveBaseline | undefined;

  /**
   * @param store where the baseline is
   * @param location the endpoint's baseline prefix (baseline.s3Uri)
   * @param settings the endpoint's resolved configuration
   */
  constructor(
    private readonly store: ObjectStore,
    private readonly location: S3Location,
    private readonly settings: EndpointMonitorSettings,
  ) {}

  /**
   * The current baseline.
   * @throws BaselineError when the prefix has no usable baseline (missing, invalid JSON, invalid content)
   * @throws StorageError when S3 fails (worth retrying)
   */
  async get(): Promise<ActiveBaseline> {
    const prefix = this.location.key === '' ? '' : `${this.location.key}/`;
    const source = `s3://${this.location.bucket}/${prefix}`;
    const etags = new Map<string, string>();
    const wanted = new Set<string>(Object.values(BASELINE_FILES));
    for await (const object of this.store.list(this.location.bucket, prefix)) {
      const name = object.key.slice(prefix.length);
      if (wanted.has(name)) etags.set(name, object.etag);
    }
    const fingerprint = [...wanted].map((f) => `${f}=${etags.get(f) ?? '-'}`).join(';');
    if (this.cached?.fingerprint === fingerprint) return this.cached;
    let loaded: LoadedBaseline;
    try {
      loaded = await loadBaselineFrom(
        {
          location: source,
          describe: (file) => `${source}${file}`,
          has: async (file) => etags.has(file),
          readJson: (file) => this.store.getJson({ bucket: this.location.bucket, key: `${prefix}${file}` }),
        },
        { types: this.settings.featureTypes },
      );
    } catch (err) {
      if (err instanceof BaselineError || err instanceof StorageError) throw err;
      // Invalid JSON, or a file deleted between the listing and the read.
      throw new BaselineError(`${source}: ${(err as Error).message}`, { cause: err });
    }
    this.cached = activate(loaded, this.settings, fingerprint, source);
    return this.cached;
  }
}

/** Derives the profile schema, capture options, constraints and comparison options of a loaded baseline. */
export function activate(
  loaded: LoadedBaseline,
  settings: EndpointMonitorSettings,
  fingerprint: string,
  source: string,
): ActiveBaseline {
  const names = loaded.baseline.features.map((f) => f.name);
  return {
    ...loaded,
    effectiveConstraints: settings.applyConstraints(loaded.constraints),
    schema: baselineProfileSchema(loaded.baseline, {
      categoricalTopK: settings.categoricalTopK,
      sketchK: settings.sketchK,
    }),
    capture: { ...settings.capture, input: { columns: names, ...settings.capture.input } },
    compare: { settingsFor: settings.settingsFor, auto: settings.auto, exclude: settings.disabledFeatures },
    fingerprint,
    source,
  };
}

/**
 * The endpoint's baseline; on failure BaselineUnavailable = 1 is added before the error propagates, so the
 * alarm sees it even though the invocation fails (and, after Lambda's retries, lands in the dead-letter queue).
 */
export async function activeBaseline(ctx: {
  endpoint: EndpointContext;
  metrics: MetricSink;
  log: LogSink;
  baselines: BaselineCache;
}): Promise<ActiveBaseline> {
  const dimensions = { [DIMENSIONS.endpoint]: ctx.endpoint.endpointName };
  const add = (value: number) =>
    ctx.metrics.add({
      namespace: DRIFTWATCH_NAMESPACE,
      name: METRICS.baselineUnavailable,
      unit: 'Count',
      value,
      dimensions,
    });
  try {
    const baseline = await ctx.baselines.get();
    add(0);
    return baseline;
  } catch (err) {
    if (err instanceof BaselineError) {
      add(1);
      ctx.log.error('baseline unavailable', { error: err.message });
    }
    throw err;
  }
}
