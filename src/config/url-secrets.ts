/**
 * The credential-bearing parts of a URL, for redaction. A URL carries credentials in three
 * places: its userinfo (`scheme://user:password@host`), its query (`?token=…`, `?sig=…`) and,
 * for capability URLs such as a Slack incoming webhook (`/services/T…/B…/<secret>`), its path.
 *
 * - Every URL: the userinfo password, and the values of credential-named query parameters.
 * - A URL whose variable the schema marks secret (its URL is its credential): also the
 *   username, every query value, the whole path and each token-like path segment, so that an
 *   error echoing only the path, or only its last segment, is still redacted.
 *
 * Parts shorter than the redactor's minimum are dropped there (src/util/redact-secrets.ts).
 */

/** Query parameter names that carry a credential (AWS/Azure/GCS signatures, tokens, keys). */
const CREDENTIAL_QUERY_KEY =
  /^(?:p|pw|pwd|pass|code|sig|.*(?:token|key|secret|passw|signature|credential|auth).*)$/i;

/** Whether a query parameter of that name carries a credential. */
export function isCredentialQueryKey(name: string): boolean {
  return CREDENTIAL_QUERY_KEY.test(name);
}

/**
 * A path segment that looks like an identifier or a token rather than a word: at least 8
 * characters mixing letters and digits (`T0123ABCD`), or at least 20 characters of any kind.
 */
export function isTokenLikeSegment(segment: string): boolean {
  if (segment.length >= 20) return true;
  return segment.length >= 8 && /[0-9]/.test(segment) && /[A-Za-z]/.test(segment);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withDecoded(text: string): string[] {
  const plain = decoded(text);
  return plain === text ? [text] : [text, plain];
}

/** Whether `text` is an absolute URL with a scheme (`scheme://…`). */
export function looksLikeUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

/**
 * The credential-bearing parts of `url` (see the module comment); `[]` when it does not parse.
 * `secret`: the whole URL is a credential (its variable is marked secret).
 */
export function urlCredentialParts(url: string, secret: boolean): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const parts: string[] = [];
  if (parsed.password !== '') parts.push(...withDecoded(parsed.password));
  if (secret && parsed.username !== '') parts.push(...withDecoded(parsed.username));
  for (const [name, value] of parsed.searchParams)
    if (value !== '' && (secret || isCredentialQueryKey(name))) parts.push(value);
  if (secret && parsed.pathname !== '/' && parsed.pathname !== '') {
    const path = parsed.pathname.replace(/\/+$/, '');
    parts.push(...withDecoded(path), ...withDecoded(path.replace(/^\/+/, '')));
    for (const segment of path.split('/'))
      if (isTokenLikeSegment(decoded(segment))) parts.push(...withDecoded(segment));
  }
  if (secret && parsed.search !== '') parts.push(parsed.search.slice(1));
  return [...new Set(parts.filter((part) => part !== ''))];
}
