import { describe, expect, it } from 'vitest';
import { lifecycleApp } from '../../workflows/support.js';
import { stableTemplate } from '../support.js';

// One snapshot per stack: the lifecycle stack's detailed assertions and the local executions of its state machines
// are in test/workflows; this catches any other change to its template in review.

describe('LifecycleStack', () => {
  it('computes the same template as the reviewed snapshot (asset hashes stripped)', () => {
    // Given the example configuration (retraining and deployment of churn-endpoint)
    const { template } = lifecycleApp();
    // When it is synthesized / Then it matches the committed snapshot
    expect(stableTemplate(template())).toMatchSnapshot();
  });
});
