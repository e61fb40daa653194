/**
 * One JSON request to a provider, with every failure classified as a `ProviderError`. Abort by
 * the caller's signal is re-thrown as the signal's reason so that cancellation is never
 * mistaken for a provider failure.
 *
 * Uses undici's `request` rather than the global `fetch`: on Node 20 the WHATWG fetch layer
 * costs several times more CPU per call, which capped run throughput at high concurrency
 * (bench/run-throughput). Both go through undici's diagnostics channels, so HTTP
 * instrumentation sees them alike.
 */
import { errors, request } from 'undici';
import { embeddedError, errorBodyMessage } from './error-body.js';
import { kindFromStatus, parseRetryAfter, ProviderError } from './provider-error.js';

export interface JsonRequest {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * How much of an error body is kept. Truncation happens again after redaction (ModelClient);
 * this bound only protects memory, and is far above any key length so that no key is cut in
 * two here, where its halves would escape redaction.
 */
const MAX_ERROR_TEXT = 8192;

/** The server's message from a JSON error body, else the body's text. */
function errorText(text: string): string {
  try {
    return errorBodyMessage(JSON.parse(text) as unknown) ?? text;
  } catch {
    return text;
  }
}

function connectionErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function header(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

export async function requestJson(
  url: string,
  options: JsonRequest,
  signal: AbortSignal,
): Promise<unknown> {
  if (signal.aborted) throw signal.reason;
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(url, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const code = error instanceof errors.UndiciError ? error.code : connectionErrorCode(error);
    throw new ProviderError(
      'unavailable',
      `Cannot reach ${new URL(url).origin}: ${code ?? 'network error'}`,
    );
  }
  let text: string;
  try {
    text = await response.body.text();
  } catch {
    if (signal.aborted) throw signal.reason;
    throw new ProviderError('unavailable', 'The connection closed before the answer was complete');
  }
  const status = response.statusCode;
  if (status < 200 || status >= 300) {
    const retryAfterMs = parseRetryAfter(header(response.headers['retry-after']));
    throw new ProviderError(
      kindFromStatus(status),
      `HTTP ${status}: ${errorText(text).slice(0, MAX_ERROR_TEXT)}`,
      {
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError(
      'invalid_response',
      `The answer is not JSON: ${text.slice(0, MAX_ERROR_TEXT)}`,
      {
        status,
      },
    );
  }
  // Some servers answer errors with 200 (vLLM: {"object":"error","code":404,…}).
  const error = embeddedError(body);
  if (error !== undefined) throw error;
  return body;
}

/** Joins a base URL and an API path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
