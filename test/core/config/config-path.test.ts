import { describe, expect, it } from 'vitest';
import { formatConfigPath } from '../../../functions/core/config/config-path.js';

describe('formatConfigPath', () => {
  it.each([
    [[], '(root)'],
    [['version'], 'version'],
    [['endpoints', 0, 'features', 2, 'drift', 'threshold'], 'endpoints[0].features[2].drift.threshold'],
    [['payload', 'input', 'paths', 'account length'], 'payload.input.paths["account length"]'],
    [['$schema'], '$schema'],
    [['tags', 'cost-center'], 'tags["cost-center"]'],
  ])('computes the path %j as users write it', (segments, expected) => {
    // Given path segments
    // When they are formatted
    // Then identifiers are dotted, indices and other keys bracketed
    expect(formatConfigPath(segments)).toBe(expected);
  });
});
