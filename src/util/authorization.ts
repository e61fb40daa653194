/**
 * The one parser of `Authorization` headers (RFC 9110 §11.6.2; the Bearer scheme of RFC 6750
 * §2.1). Every credential the service checks — API keys, METRICS_TOKEN, ALERT_WEBHOOK_TOKEN —
 * goes through it, so a header without the `Bearer` scheme is refused everywhere alike.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** RFC 6750 b64token: the characters a bearer token may contain, then optional `=` padding. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token of `Authorization: Bearer <token>`, or undefined when the header is missing, uses
 * another scheme, has no scheme (`Authorization: <token>`) or carries anything after the token.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return BEARER.exec(header)?.[1];
}

/**
 * Constant-time equality of two secrets. Both sides are hashed first, so neither the content
 * nor the length of the expected value shows in the time taken.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Whether the header is `Bearer <expected>` (constant-time in the token's content and length). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const token = bearerToken(header);
  return token !== undefined && secretsEqual(token, expected);
}
