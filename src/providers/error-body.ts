/**
 * Error answers of model servers, which come in several shapes, sometimes with HTTP 200:
 * - OpenAI: `{"error": {"message", "type", "code"}}`
 * - vLLM and other OpenAI-compatible servers: `{"object": "error", "message", "code": 404}`
 * - Ollama: `{"error": "model 'x' not found"}`
 */
import { kindFromStatus, ProviderError } from './provider-error.js';

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The server's own message in an error body, or undefined when the body has none. */
export function errorBodyMessage(body: unknown): string | undefined {
  const object = record(body);
  if (object === undefined) return undefined;
  if (typeof object.error === 'string') return object.error;
  const nested = record(object.error);
  if (typeof nested?.message === 'string') return nested.message;
  if (typeof object.message === 'string') return object.message;
  return undefined;
}

/** The HTTP-like status an error body names in `code` (`{"code": 404}`), if any. */
function bodyStatus(body: Record<string, unknown>): number | undefined {
  const code = body.code ?? record(body.error)?.code;
  const status = typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : code;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 600
    ? status
    : undefined;
}

/**
 * An error that a server sent with a success status, or undefined for a normal answer. The
 * kind follows the status the body names (404 → `bad_request`, 429 → `rate_limited`, …);
 * without one it is `bad_request`: the server refused the request and would again.
 */
export function embeddedError(body: unknown): ProviderError | undefined {
  const object = record(body);
  if (object === undefined) return undefined;
  if (object.object !== 'error' && object.error === undefined) return undefined;
  const status = bodyStatus(object);
  const message = errorBodyMessage(object) ?? 'The server answered with an error';
  return new ProviderError(status === undefined ? 'bad_request' : kindFromStatus(status), message, {
    ...(status === undefined ? {} : { status }),
  });
}
