/**
 * The measurement child as one esbuild ESM bundle, the form a Lambda runs (no tsx loader in the process, so its
 * RSS and compiled code are the function's), and the bundle's source map to name TypeScript lines in a CPU profile.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const CHILD_ENTRY = fileURLToPath(new URL('./child.ts', import.meta.url));

/** Bundles bench/child.ts into `<outDir>/child.mjs` (with `child.mjs.map`) and returns its path. */
export async function bundleChild(outDir: string): Promise<string> {
  const outfile = join(outDir, 'child.mjs');
  await build({
    entryPoints: [CHILD_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    // CommonJS dependencies (jstat) may call require; ESM bundles need it defined, as in Lambda ESM bundles.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  return outfile;
}

/**
 * Maps a 0-based line and column of the bundle to `source:line` (1-based) of the TypeScript it came from, with the
 * source made relative to `root`; undefined for positions outside the bundle or without a mapping.
 */
export function bundleLocator(
  bundlePath: string,
  root: string,
): (url: string, line: number, column: number) => string | undefined {
  const bundleUrl = pathToFileURL(bundlePath).href;
  const map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')) as SourceMapPayload);
  return (url, line, column) => {
    if (url !== bundleUrl) return undefined;
    const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    const source = entry.originalSource.startsWith('file://')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(bundlePath), entry.originalSource);
    const relative = source.startsWith(`${root}/`) ? source.slice(root.length + 1) : source;
    return `${relative}:${entry.originalLine + 1}`;
  };
}
