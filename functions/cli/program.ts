import { Command } from 'commander';
import { registerAuditCommands } from './audit-program.js';
import { registerDemoCommand } from './demo-program.js';
import { registerDriftCommands, registerReportCommand } from './drift-program.js';
import { registerQualityCommands } from './quality-program.js';

/**
 * The `driftwatch` command line: each group of commands registers itself here, so adding one is one line.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name('driftwatch')
    .description(
      'Drift, data-quality and model-quality checks for SageMaker endpoints, compatible with Model Monitor files.',
    )
    .showHelpAfterError()
    .exitOverride();
  registerDriftCommands(program);
  registerReportCommand(program);
  registerQualityCommands(program);
  registerAuditCommands(program);
  registerDemoCommand(program);
  return program;
}
