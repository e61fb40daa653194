/**
 * Classified provider failures. Only `timeout`, `rate_limited` and `unavailable` are retried:
 * the others would fail the same way again.
 */
export const PROVIDER_ERROR_KINDS = [
  'timeout',
  'rate_limited',
  'auth',
  'bad_request',
  'unavailable',
  'invalid_response',
] as const;

export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'timeout',
  'rate_limited',
  'unavailable',
]);

export interface ProviderErrorDetails {
  /** The HTTP status (or the status an error body named). */
  readonly status?: number;
  /** The wait the server asked for (`retry-after-ms`, `Retry-After`), in ms. */
  readonly retryAfterMs?: number;
  /** How many attempts were made before giving up (set by the retry loop). */
  readonly attempts?: number;
}

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly details: ProviderErrorDetails = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.kind);
  }

  /** A copy with another message and more details (errors are never mutated). */
  with(changes: { message?: string } & ProviderErrorDetails): ProviderError {
    const { message, ...details } = changes;
    return new ProviderError(this.kind, message ?? this.message, { ...this.details, ...details });
  }
}

const KIND_SUMMARIES: Readonly<Record<ProviderErrorKind, string>> = {
  timeout: 'the provider did not answer in time',
  rate_limited: 'the provider is rate limiting requests',
  auth: 'the provider refused the credentials',
  bad_request: 'the provider refused the request',
  unavailable: 'the provider cannot be reached or is failing',
  invalid_response: 'the provider answered something that is not its API',
};

/**
 * A classified summary of a provider failure for unauthenticated callers (health, model list):
 * kind, status and a fixed sentence, never the provider's own text.
 */
export function summarizeProviderError(error: unknown): { kind: string; message: string } {
  if (!(error instanceof ProviderError)) {
    return { kind: 'unavailable', message: KIND_SUMMARIES.unavailable };
  }
  const status = error.details.status === undefined ? '' : ` (HTTP ${error.details.status})`;
  return { kind: error.kind, message: `${KIND_SUMMARIES[error.kind]}${status}` };
}

/** Maps an HTTP status to its error kind. */
export function kindFromStatus(status: number): ProviderErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401 || status === 403) return 'auth';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function firstHeader(value: string | string[] | undefined): string | null {
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}

/**
 * The wait an answer asks for, in ms: `retry-after-ms` (milliseconds, as OpenAI and Azure send
 * it) wins over `Retry-After` (seconds or an HTTP date); undefined when neither parses.
 */
export function retryAfterFromHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: number = Date.now(),
): number | undefined {
  const ms = firstHeader(headers['retry-after-ms'])?.trim();
  if (ms !== undefined && ms !== '') {
    const value = Number(ms);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  return parseRetryAfter(firstHeader(headers['retry-after']), now);
}
