/** Summary of a V8 `.cpuprofile` (as `node --cpu-prof` writes it): where the samples' self time went. */

/** The parts of a V8 CPU profile the summary reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  /** Start and end of profiling, µs on the process's monotonic clock. */
  startTime: number;
  endTime: number;
  /** Node id of the top frame of each sample. */
  samples: number[];
  /** µs between each sample and the one before it (the first: since startTime). */
  timeDeltas: number[];
}

/** One function's self time. */
export interface SelfTime {
  /** Function name, or `(anonymous)`; V8's pseudo-frames keep their names, e.g. `(garbage collector)`. */
  name: string;
  /** `file:line` of the function's start (1-based; through `locate` when it knows the file), '' for pseudo-frames. */
  location: string;
  selfMs: number;
  /** selfMs over the total of the window. */
  share: number;
}

/**
 * Self time per function: sample i lasts from its timestamp t_i = startTime + Σ_{j<=i} timeDeltas[j] to the next
 * sample's (the last one to endTime), and that time is charged to the sample's top frame. Frames are grouped by
 * name and location; only the part of each sample inside `window` (µs, same clock) counts when one is given.
 * Returns the `top` largest, largest first; `root` is cut from the front of file URLs.
 */
export function topSelfTime(
  profile: CpuProfile,
  top: number,
  options: {
    root?: string;
    window?: readonly [number, number];
    /** Maps a frame's URL and 0-based line and column to a location, e.g. through a source map. */
    locate?: (url: string, line: number, column: number) => string | undefined;
  } = {},
): SelfTime[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const [from, to] = options.window ?? [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  const byKey = new Map<string, { name: string; location: string; micros: number }>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const next = i + 1 < profile.samples.length ? t + (profile.timeDeltas[i + 1] ?? 0) : profile.endTime;
    const micros = Math.max(0, Math.min(next, to) - Math.max(t, from));
    if (micros === 0) continue;
    const frame = frames.get(profile.samples[i] ?? -1);
    if (frame === undefined) continue;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const location =
      frame.url === ''
        ? ''
        : (options.locate?.(frame.url, frame.lineNumber, frame.columnNumber) ??
          `${shorten(frame.url, options.root)}:${frame.lineNumber + 1}`);
    const key = `${name}\u0000${location}`;
    const entry = byKey.get(key) ?? { name, location, micros: 0 };
    entry.micros += micros;
    byKey.set(key, entry);
    total += micros;
  }
  return [...byKey.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, top)
    .map((e) => ({
      name: e.name,
      location: e.location,
      selfMs: e.micros / 1000,
      share: total > 0 ? e.micros / total : 0,
    }));
}

function shorten(url: string, root: string | undefined): string {
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  return root !== undefined && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}
