/**
 * `listenApi` loaded on first use: the API's HTTP layer (api-http.ts: Express, every feature's
 * routes, the OpenAPI document, the rate limit's Redis client) is code of the API process only.
 * Through this door the CLI and the worker, which import the composition too, never load it.
 */
import type { ApiHttp, ApiHttpOptions } from './api-http.js';
import type { Composition } from './compose.js';

/** Starts the API's HTTP layer over a composition (see api-http.ts's `listenApi`). */
export async function listenApi(
  composition: Composition,
  options: ApiHttpOptions,
): Promise<ApiHttp> {
  const { listenApi: listen } = await import('./api-http.js');
  return listen(composition, options);
}
