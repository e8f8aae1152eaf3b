// Shared test setup.
// aws-sdk-client-mock matchers (toReceiveCommandWith, ...) for vitest.
import 'aws-sdk-client-mock-vitest/extend';
// Promise.withResolvers on Node 20, for aws-local-stepfunctions (the demo loads the same polyfill).
import '../scripts/local/polyfill.js';

// Nothing in the tests may reach AWS: fixed fake credentials and region, no instance metadata lookups.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
