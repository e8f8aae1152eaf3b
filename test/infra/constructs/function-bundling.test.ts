import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_CONFIG_FILE } from '../../../functions/shared/env.js';
import {
  driftwatchBundling,
  handlerEntry,
  LOCK_FILE,
  PROJECT_ROOT,
} from '../../../lib/constructs/function-bundling.js';
import { EXAMPLE_CONFIG_FILE } from '../support.js';

function runAfterBundling(configFile: string, inputDir: string): string {
  const outputDir = mkdtempSync(join(tmpdir(), 'driftwatch-bundle-out-'));
  const commands = driftwatchBundling(configFile).commandHooks?.afterBundling(inputDir, outputDir) ?? [];
  for (const command of commands) {
    execFileSync('sh', ['-c', command]);
  }
  return join(outputDir, BUNDLED_CONFIG_FILE);
}

describe('driftwatchBundling', () => {
  it('computes ESM bundling for Node 22 with a createRequire banner and kept class names', () => {
    // Given the example configuration
    // When the bundling options are built
    const options = driftwatchBundling(EXAMPLE_CONFIG_FILE);
    // Then they produce an ESM bundle that can require() CommonJS dependencies and keeps error class names
    expect(options.format).toBe(OutputFormat.ESM);
    expect(options.target).toBe('node22');
    expect(options.mainFields).toEqual(['module', 'main']);
    expect(options.banner).toMatch(
      /createRequire as \w+ \} from 'node:module'; const require = \w+\(import\.meta\.url\);/,
    );
    expect(options.keepNames).toBe(true);
    expect(options.forceDockerBundling).toBe(false);
  });

  it('computes a command that copies the configuration next to the bundle', () => {
    // Given a configuration inside the project (the example)
    // When the afterBundling commands run with the project root as input directory
    const copied = runAfterBundling(EXAMPLE_CONFIG_FILE, PROJECT_ROOT);
    // Then the bundle directory holds an identical driftwatch.config.json
    expect(readFileSync(copied, 'utf8')).toBe(readFileSync(EXAMPLE_CONFIG_FILE, 'utf8'));
  });

  it('computes the copy from the input directory for a configuration inside the project (Docker layout)', () => {
    // Given an input directory that mirrors the project (as /asset-input does in Docker)
    const inputDir = mkdtempSync(join(tmpdir(), 'driftwatch-asset-input-'));
    mkdirSync(join(inputDir, 'examples'));
    writeFileSync(join(inputDir, 'examples', 'driftwatch.config.json'), '{"mirrored":true}');
    // When the copy runs against it
    const copied = runAfterBundling(EXAMPLE_CONFIG_FILE, inputDir);
    // Then the file under the input directory was copied, not the host path
    expect(readFileSync(copied, 'utf8')).toBe('{"mirrored":true}');
  });

  it('computes a quoted copy for a configuration outside the project with a quote in its path', () => {
    // Given a configuration file outside the project whose directory name contains a space and a quote
    const dir = join(mkdtempSync(join(tmpdir(), 'driftwatch-config-')), "it's here");
    mkdirSync(dir);
    const configFile = join(dir, 'my config.json');
    writeFileSync(configFile, '{"outside":true}');
    // When the copy runs
    const copied = runAfterBundling(configFile, PROJECT_ROOT);
    // Then the absolute path was used and quoted correctly
    expect(readFileSync(copied, 'utf8')).toBe('{"outside":true}');
  });

  it('throws when the configuration file does not exist', () => {
    // Given a path that does not exist
    const missing = join(tmpdir(), 'driftwatch-no-such-config.json');
    // When / Then building the options names the file and the fix
    expect(() => driftwatchBundling(missing)).toThrow(
      /driftwatch-no-such-config\.json does not exist \(pass an existing file/,
    );
  });
});

describe('handlerEntry', () => {
  it('computes paths of handler files under functions/handlers of the project root', () => {
    // Given the project layout
    // When the entries of both functions are resolved
    const entries = [handlerEntry('ingest-capture.ts'), handlerEntry('evaluate-window.ts')];
    // Then they are the contract's handler files, and the lock file is the project's
    expect(entries).toEqual([
      join(PROJECT_ROOT, 'functions', 'handlers', 'ingest-capture.ts'),
      join(PROJECT_ROOT, 'functions', 'handlers', 'evaluate-window.ts'),
    ]);
    expect(entries.every((entry) => existsSync(entry))).toBe(true);
    expect(existsSync(LOCK_FILE)).toBe(true);
  });
});
