/**
 * The composition of a process (docs/architecture-modules.md): what the entries use (compose,
 * the API's HTTP layer) and what a feature's `<name>-module.ts` implements (the module
 * contract, the shared core). No feature's other files import it.
 */
export * from './api-http.js';
export * from './compose.js';
export * from './module.js';
export * from './shared.js';
