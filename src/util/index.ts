/**
 * Small pure helpers that features and infrastructure share; util imports no other folder of
 * src/ (its own files and the root's config types only).
 */
export * from './authorization.js';
export * from './json-output.js';
export * from './linear-regex.js';
export * from './redact-secrets.js';
export * from './js-sandbox.js';
export * from './page-cursor.js';
export * from './cut-text.js';
export * from './cut-unique.js';
export * from './yield-to-loop.js';
export * from './query-number.js';
export * from './python-runner.js';
export * from './csv-header.js';
export * from './template-env.js';
