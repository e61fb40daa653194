/**
 * One JSON request to a provider over fetch, with every failure classified as a
 * `ProviderError`. Abort by the caller's signal is re-thrown as the signal's reason so that
 * cancellation is never mistaken for a provider failure.
 */
import { kindFromStatus, parseRetryAfter, ProviderError } from './provider-error.js';

export interface JsonRequest {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_ERROR_TEXT = 300;

function connectionErrorCode(error: unknown): string | undefined {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export async function requestJson(
  url: string,
  request: JsonRequest,
  signal: AbortSignal,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? (request.body === undefined ? 'GET' : 'POST'),
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    const code = connectionErrorCode(error);
    throw new ProviderError(
      'unavailable',
      `Cannot reach ${new URL(url).origin}: ${code ?? 'network error'}`,
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    if (signal.aborted) throw signal.reason;
    throw new ProviderError('unavailable', 'The connection closed before the answer was complete');
  }
  if (!response.ok) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    throw new ProviderError(
      kindFromStatus(response.status),
      `HTTP ${response.status}: ${text.slice(0, MAX_ERROR_TEXT)}`,
      { status: response.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError('invalid_response', `The answer is not JSON: ${text.slice(0, 100)}`, {
      status: response.status,
    });
  }
}

/** Joins a base URL and an API path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
