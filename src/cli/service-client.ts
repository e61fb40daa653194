/**
 * How the commands talk to a service (`push`, `compare`, `export`, `eval --server`): JSON calls
 * under `<server>/api`, authenticated with the API key when one is given, and retried when the
 * service says "later": a 429 or 503 is retried after its `Retry-After` (seconds or an HTTP
 * date; 1 s when absent), each wait capped at MAX_WAIT_MS, at most MAX_ATTEMPTS calls. An
 * unreachable service and a refusal are CommandErrors (exit 2) in one line that never shows
 * the key.
 */
import { authHeaders, CommandError, shownUrl } from './server-commands.js';

/** A service and the API key that authenticates to it (none without auth). */
export interface Service {
  readonly url: string;
  readonly apiKey: string | undefined;
}

export interface ServiceResponse {
  readonly status: number;
  /** The JSON body, undefined when empty. */
  readonly body: unknown;
  readonly text: string;
}

export const MAX_ATTEMPTS = 8;
export const MAX_WAIT_MS = 30_000;

/** The wait (ms) a 429/503 asks for: its Retry-After in seconds or as a date, else 1 s. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  const seconds = header === null || header.trim() === '' ? NaN : Number(header);
  const ms = Number.isFinite(seconds)
    ? seconds * 1000
    : header === null
      ? 1000
      : Date.parse(header) - now;
  return Math.min(MAX_WAIT_MS, Math.max(0, Number.isFinite(ms) ? ms : 1000));
}

/** fetch, retried on 429/503 after Retry-After; an unreachable service is a CommandError. */
export async function fetchRetrying(url: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new CommandError(
        `cannot reach ${shownUrl(url)}${cause === undefined ? '' : ` (${cause})`}`,
      );
    }
    if ((response.status !== 429 && response.status !== 503) || attempt >= MAX_ATTEMPTS)
      return response;
    await response.arrayBuffer();
    const wait = retryAfterMs(response.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** A JSON call to `<server>/api<path>`; writes carry `content-type: application/json`. */
export async function serviceCall(
  service: Service,
  method: string,
  path: string,
  body?: string,
): Promise<ServiceResponse> {
  const url = `${service.url.replace(/\/+$/, '')}/api${path}`;
  const response = await fetchRetrying(url, {
    method,
    headers: {
      ...authHeaders(service.apiKey),
      ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text };
}

/**
 * The one-line CommandError for a refusal: what was being done, the status, the catalog code
 * and message; a 401/403 adds where the key comes from.
 */
export function refusal(what: string, res: ServiceResponse): CommandError {
  const error = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  const detail =
    error === undefined
      ? res.text.replace(/\s+/g, ' ').slice(0, 300)
      : `${error.code ?? ''}: ${error.message ?? ''}`;
  const hint =
    res.status === 401
      ? ' (give a valid API key with --api-key or PROMPT_CARDS_API_KEY)'
      : res.status === 403
        ? ' (the API key lacks the role this needs: editor to push and run)'
        : '';
  return new CommandError(`${what}: ${res.status} ${detail}${hint}`);
}
