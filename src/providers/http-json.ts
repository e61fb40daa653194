/**
 * One JSON request to a provider, with every failure classified as a `ProviderError`. Abort by
 * the caller's signal is re-thrown as the signal's reason so that cancellation is never
 * mistaken for a provider failure.
 *
 * Uses undici's `request` rather than the global `fetch`: on Node 20 the WHATWG fetch layer
 * costs several times more CPU per call, which capped run throughput at high concurrency
 * (bench/run-throughput). Both go through undici's diagnostics channels, so HTTP
 * instrumentation sees them alike.
 *
 * Every request goes through the providers' dispatcher (`ProviderHttp`), whose header and body
 * timeouts follow the attempt timeout; undici's own timeouts are classified `timeout`, never
 * "cannot reach". The body is read chunk by chunk and refused (`invalid_response`) as soon as it
 * passes the configured cap, so an endless or huge answer never sits whole in memory.
 */
import type { Dispatcher } from 'undici';
import { embeddedError, errorBodyMessage } from './error-body.js';
import { kindFromStatus, ProviderError, retryAfterFromHeaders } from './provider-error.js';
import { DEFAULT_MAX_RESPONSE_BYTES, type ProviderHttp } from './provider-http.js';

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

/** undici's own timeouts: the server took too long, which is not the same as unreachable. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
/** undici, loaded on the first request (provider-http.ts). */
const loadUndici = (): Promise<Undici> => (undici ??= import('undici'));

function transportError(
  error: unknown,
  url: string,
  stage: 'request' | 'body',
  errors: Undici['errors'],
): ProviderError {
  const code = error instanceof errors.UndiciError ? error.code : connectionErrorCode(error);
  const origin = new URL(url).origin;
  if (code !== undefined && TIMEOUT_CODES.has(code))
    return new ProviderError('timeout', `No answer from ${origin} in time: ${code}`);
  if (stage === 'body')
    return new ProviderError('unavailable', 'The connection closed before the answer was complete');
  return new ProviderError('unavailable', `Cannot reach ${origin}: ${code ?? 'network error'}`);
}

/** Origins and paths of the URLs requested so far (a provider requests a handful). */
const targets = new Map<string, { readonly origin: string; readonly path: string }>();
const MAX_TARGETS = 256;

/**
 * The origin and path of `url`, parsed once: the dispatcher is called with them directly,
 * which spares undici's top-level `request` from parsing the same URL on every call.
 */
function target(url: string): { readonly origin: string; readonly path: string } {
  let known = targets.get(url);
  if (known === undefined) {
    const parsed = new URL(url);
    known = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, known);
  }
  return known;
}

type Body = Dispatcher.ResponseData['body'];

/**
 * The body as text, read chunk by chunk; an `invalid_response` as soon as it passes
 * `maxBytes` (the connection is then closed, the rest never read).
 */
async function readCapped(body: Body, maxBytes: number, declared: number): Promise<string> {
  const tooLarge = (bytes: string) =>
    new ProviderError(
      'invalid_response',
      `The answer is larger than PROVIDER_MAX_RESPONSE_BYTES (${maxBytes} bytes): ${bytes}`,
    );
  if (declared > maxBytes) {
    body.destroy();
    throw tooLarge(`Content-Length ${declared}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(`more than ${maxBytes} bytes sent`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * One request; the answer's JSON. Throws `ProviderError` (classified), or the signal's reason
 * once `signal` aborts.
 */
export async function requestJson(
  url: string,
  options: JsonRequest,
  signal: AbortSignal,
  http: ProviderHttp = { maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES },
): Promise<unknown> {
  if (signal.aborted) throw signal.reason;
  const { errors, getGlobalDispatcher } = await loadUndici();
  const dispatcher = (await http.dispatcher?.()) ?? getGlobalDispatcher();
  let response: Dispatcher.ResponseData;
  try {
    const { origin, path } = target(url);
    response = await dispatcher.request({
      origin,
      path,
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
    throw transportError(error, url, 'request', errors);
  }
  let text: string;
  try {
    const declared = Number(response.headers['content-length'] ?? NaN);
    text = await readCapped(response.body, http.maxResponseBytes, declared);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof ProviderError) throw error;
    throw transportError(error, url, 'body', errors);
  }
  const status = response.statusCode;
  if (status < 200 || status >= 300) {
    const retryAfterMs = retryAfterFromHeaders(response.headers);
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
