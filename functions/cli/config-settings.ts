import { readFile } from 'node:fs/promises';
import { parseMonitorConfigText } from '../core/config/parse.js';
import { endpointMonitorSettings } from '../core/monitor-settings.js';
import { InputError } from '../errors.js';
import type { DriftCommandSettings } from './commands.js';

/**
 * The drift and profile commands' settings from a monitor configuration file: methods, thresholds, `auto`
 * tuning, payload mapping, profile sizes and data-quality settings of one endpoint. None without a file.
 */
export async function loadCliSettings(
  configPath: string | undefined,
  endpoint: string | undefined,
): Promise<DriftCommandSettings> {
  if (configPath === undefined) {
    if (endpoint !== undefined) throw new InputError('--endpoint needs --config');
    return {};
  }
  const text = await readFile(configPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${configPath}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, {
      cause: err,
    });
  });
  const s = endpointMonitorSettings(parseMonitorConfigText(text, configPath), endpoint);
  return {
    capture: s.capture,
    settingsFor: s.settingsFor,
    auto: s.auto,
    categoricalTopK: s.categoricalTopK,
    sketchK: s.sketchK,
    exclude: s.disabledFeatures,
    featureTypes: s.featureTypes,
    applyConstraints: s.applyConstraints,
  };
}
