export * from './constraints.js';
export * from './format.js';
export * from './infer-type.js';
export * from './statistics.js';
export * from './types.js';
export * from './violations.js';
