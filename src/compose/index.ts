/**
 * The composition of a process (docs/architecture-modules.md): what the entries use (compose,
 * the API's HTTP layer) and what a feature's `<name>-module.ts` implements (the module
 * contract, the shared core). No feature's other files import it.
 */
export type { ApiHttp, ApiHttpOptions } from './api-http.js';
export { listenApi } from './listen-api.js';
export * from './compose.js';
export * from './module.js';
export * from './shared.js';
export { urlOf } from './url-of.js';
