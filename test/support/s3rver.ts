// The local S3 server lives in scripts/local/ so that the demo can start it without importing from test/; tests keep
// importing it from here.
export * from '../../scripts/local/s3.js';
