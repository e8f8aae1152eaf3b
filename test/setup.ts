// Shared test setup.
// aws-sdk-client-mock matchers (toReceiveCommandWith, ...) for vitest.
import 'aws-sdk-client-mock-vitest/extend';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 22 has and Node 20 lacks (STACK-NOTES G10).
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: <T>() => {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// Nothing in the tests may reach AWS: fixed fake credentials and region, no instance metadata lookups.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
