/**
 * The `url.*` attributes of an outgoing HTTP client span with credentials removed, as the
 * OpenTelemetry HTTP conventions ask (`url.full` must not carry credentials; sensitive query
 * values are replaced by `REDACTED`). Pure: tested without a tracer.
 *
 * - A request to a URL the configuration marks secret (a Slack incoming webhook, the alert
 *   webhook: the URL is the credential) keeps only its origin: every path segment and query
 *   value becomes `REDACTED`.
 * - Any other request: query values of credential-named parameters, and path segments or query
 *   values equal to a configured secret, become `REDACTED`.
 */
import { isCredentialQueryKey, looksLikeUrl, urlCredentialParts } from '../../config/index.js';

export const SPAN_REDACTED = 'REDACTED';

export interface SpanUrlSecrets {
  /** Origin + path prefix of every secret-marked URL (`https://hooks.slack.com/services/…`). */
  readonly secretUrls: readonly URL[];
  /** Configured secret values and the credential parts of configured URLs. */
  readonly values: ReadonlySet<string>;
}

/** The secrets a span URL is checked against, from the variables and their secret marks. */
export function spanUrlSecrets(
  env: Readonly<Record<string, string | undefined>>,
  secretNames: readonly string[],
): SpanUrlSecrets {
  const secretUrls: URL[] = [];
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === '') continue;
    const secret = secretNames.includes(name);
    if (secret && value.length >= 6) values.add(value);
    if (!looksLikeUrl(value)) continue;
    for (const part of urlCredentialParts(value, secret)) if (part.length >= 6) values.add(part);
    if (secret) {
      try {
        secretUrls.push(new URL(value));
      } catch {
        // Not a URL after all: its value is still redacted as a whole.
      }
    }
  }
  return { secretUrls, values };
}

function isUnder(url: URL, secretUrl: URL): boolean {
  if (url.origin !== secretUrl.origin) return false;
  const base = secretUrl.pathname.replace(/\/+$/, '');
  return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `url.full`, `url.path` and `url.query` of a client span for `url`, credentials redacted. */
export function spanUrlAttributes(
  url: URL,
  secrets: SpanUrlSecrets,
): { 'url.full': string; 'url.path': string; 'url.query': string } {
  const whole = secrets.secretUrls.some((secretUrl) => isUnder(url, secretUrl));
  const hidden = (text: string) =>
    whole || secrets.values.has(text) || secrets.values.has(decoded(text));
  const path = url.pathname
    .split('/')
    .map((segment) => (segment !== '' && hidden(segment) ? SPAN_REDACTED : segment))
    .join('/');
  const query = [...url.searchParams]
    .map(([name, value]) => {
      const clean = hidden(value) || isCredentialQueryKey(name) ? SPAN_REDACTED : value;
      return `${encodeURIComponent(name)}=${encodeURIComponent(clean)}`;
    })
    .join('&');
  const search = query === '' ? '' : `?${query}`;
  const userinfo = url.username === '' ? '' : `${SPAN_REDACTED}:${SPAN_REDACTED}@`;
  return {
    'url.full': `${url.protocol}//${userinfo}${url.host}${path}${search}`,
    'url.path': path,
    'url.query': search,
  };
}
