// The ASL resolver lives in scripts/local/ so that the demo can run synthesized state machines without importing
// from test/; tests keep importing it from here.
export * from '../../scripts/local/asl.js';
