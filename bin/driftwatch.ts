#!/usr/bin/env node
import { CommanderError } from 'commander';
import { EXIT } from '../functions/cli/commands.js';
import { buildProgram } from '../functions/cli/program.js';
import { DriftwatchError } from '../functions/errors.js';

/** Errors that describe bad input or usage: printed as a message (exit 2), not as a crash. */
const USER_ERRORS = new Set([
  'RangeError',
  'ConfigValidationError',
  'ConfigLookupError',
  'S3UriError',
  'JsonPathSyntaxError',
  'CaptureOptionsError',
]);

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; usage errors have already been printed by commander.
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.error;
  } else if (err instanceof DriftwatchError || (err instanceof Error && USER_ERRORS.has(err.name))) {
    process.stderr.write(`driftwatch: ${err.message}\n`);
    process.exitCode = EXIT.error;
  } else {
    process.stderr.write(
      `driftwatch: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = EXIT.error;
  }
}
