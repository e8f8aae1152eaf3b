export * from './categories.js';
export * from './dataset-profile.js';
export * from './feature-profile.js';
export * from './moments.js';
export * from './value.js';
