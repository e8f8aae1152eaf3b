export * from './config-path.js';
export type { NumberRange } from './fields.js';
export * from './json-schema.js';
export * from './json-text.js';
export * from './parse.js';
export * from './resolve.js';
export * from './s3-uri.js';
export * from './schedule-expression.js';
export * from './schema.js';
