import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BUNDLED_CONFIG_FILE } from '../../functions/shared/env.js';

/** The repository root: the esbuild project root, holding package-lock.json and functions/. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The lock file NodejsFunction derives the project root from. */
export const LOCK_FILE = join(PROJECT_ROOT, 'package-lock.json');

/** The absolute path of a handler file under functions/handlers (e.g. `ingest-capture.ts`). */
export function handlerEntry(fileName: string): string {
  return join(PROJECT_ROOT, 'functions', 'handlers', fileName);
}

// esbuild's ESM output has no `require`; bundled CommonJS dependencies (Powertools, middy's deps) still call it.
const CREATE_REQUIRE_BANNER =
  "import { createRequire as __driftwatchCreateRequire } from 'node:module'; " +
  'const require = __driftwatchCreateRequire(import.meta.url);';

/**
 * esbuild settings shared by every driftwatch function: ESM for Node 22 (`mainFields` prefers ES modules), a
 * `createRequire` banner, minified with class names kept, source maps, local esbuild only, and the monitor configuration copied next to the bundle
 * as `driftwatch.config.json` (where the handlers' `defaultDeps()` read it).
 * @param configFile path of the monitor configuration file; must exist.
 * @throws Error when `configFile` does not exist.
 */
export function driftwatchBundling(configFile: string): BundlingOptions {
  const source = resolve(configFile);
  if (!existsSync(source)) {
    throw new Error(
      `monitor configuration file ${source} does not exist (pass an existing file with -c config=PATH)`,
    );
  }
  const inProject = relative(PROJECT_ROOT, source);
  const copyFrom = (inputDir: string) =>
    inProject.startsWith('..') || isAbsolute(inProject) ? source : join(inputDir, inProject);
  return {
    format: OutputFormat.ESM,
    target: 'node22',
    mainFields: ['module', 'main'],
    banner: CREATE_REQUIRE_BANNER,
    minify: true,
    // Typed errors take their name from their class (functions/errors.ts) and Step Functions retries match on it.
    keepNames: true,
    sourceMap: true,
    forceDockerBundling: false,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      // inputDir is the project root (locally its real path, in Docker /asset-input), so a config inside the
      // project is found either way.
      afterBundling: (inputDir, outputDir) => [
        `cp ${shellQuote(copyFrom(inputDir))} ${shellQuote(join(outputDir, BUNDLED_CONFIG_FILE))}`,
      ],
    },
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
