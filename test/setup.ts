// Shared test setup. Later suites add aws-sdk-client-mock matchers and the Node 20
// Promise.withResolvers polyfill that aws-local-stepfunctions needs (STACK-NOTES G10).
export {};
