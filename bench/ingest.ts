/**
 * driftwatch's ingest path for one capture object, wired as `driftwatch profile` / `driftwatch drift` wire it
 * (functions/cli/commands.ts profileAgainst + functions/cli/inputs.ts profileInputs): a file stream into
 * parseCaptureStream, rows into a ProfileBuilder built from the baseline's schema, ending in toState().
 */
import { openInput } from '../functions/adapters/local-files.js';
import type { LoadedBaseline } from '../functions/cli/baseline-store.js';
import { baselineProfileSchema } from '../functions/core/baseline/schema.js';
import { parseCaptureStream } from '../functions/core/capture/parse-capture.js';
import type { CaptureParseOptions, CaptureParseSummary } from '../functions/core/capture/types.js';
import { type DatasetProfileState, ProfileBuilder } from '../functions/core/profile/dataset-profile.js';

/** The profile of one capture file and what its parser saw. */
export interface IngestResult {
  profile: DatasetProfileState;
  summary: CaptureParseSummary;
}

/**
 * Profiles one capture file against a loaded baseline, with the CLI's capture options and rejection cap, and the
 * given line parser (the CLI's default is `fast`).
 */
export async function profileCaptureFile(
  path: string,
  loaded: LoadedBaseline,
  parser: 'fast' | 'reference' = 'fast',
): Promise<IngestResult> {
  const builder = new ProfileBuilder(baselineProfileSchema(loaded.baseline));
  const options: CaptureParseOptions = {
    input: { columns: loaded.baseline.features.map((f) => f.name) },
    maxRejectionsKept: 1000,
    parser,
  };
  const source = (await openInput(path)) as AsyncIterable<Uint8Array | string>;
  const summary = await parseCaptureStream(source, builder, options);
  const profile = builder.toState({
    lines: summary.lines,
    accepted: summary.accepted,
    rejected: summary.rejected,
  });
  return { profile, summary };
}
