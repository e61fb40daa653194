/**
 * Which parts of a `Config` are secret, derived from the schema's secret marks: a variable
 * marked `secret` in its slice is redacted wherever `Config` carries it, and a password inside
 * any URL-valued setting is redacted too. Nothing here lists a secret by hand, so a new secret
 * variable cannot be forgotten.
 */
import { CONFIG_SLICES, toConfig, type Config, type Env } from '../config.js';
import { looksLikeUrl, urlCredentialParts } from './url-secrets.js';
import { variablesOf } from './variable.js';

/** The names of the variables marked secret, in schema order. */
export const SECRET_VARIABLES: readonly string[] = CONFIG_SLICES.flatMap((slice) =>
  variablesOf(slice)
    .filter(([, meta]) => meta.secret)
    .map(([name]) => name),
);

type Path = readonly string[];

function probe(name: string): string {
  return `\u0000probe:${name}\u0000`;
}

function pathsOf(value: unknown, needle: string, at: Path = []): Path[] {
  if (typeof value === 'string') return value.includes(needle) ? [at] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => pathsOf(inner, needle, [...at, key]));
}

/**
 * Where each secret variable lands in `Config`. Found by running the slices' mappings on a
 * probe environment (every non-secret variable set, so that optional sections exist, plus the
 * one secret) and looking for the probe: the mapping itself is the only statement of the path.
 */
function findSecretPaths(): ReadonlyMap<string, readonly Path[]> {
  const all = CONFIG_SLICES.flatMap((slice) => Object.keys(slice.env));
  const base = Object.fromEntries(
    all.filter((name) => !SECRET_VARIABLES.includes(name)).map((name) => [name, probe(name)]),
  );
  return new Map(
    SECRET_VARIABLES.map((name) => {
      // The probe stands in for parsed values of any type; the mapping only moves them around.
      const config = toConfig({ ...base, [name]: probe(name) } as unknown as Env);
      return [name, pathsOf(config, probe(name))] as const;
    }),
  );
}

/** Each secret variable's places in `Config` (a test requires at least one per variable). */
export const SECRET_PATHS: ReadonlyMap<string, readonly Path[]> = findSecretPaths();

/** The property names that hold secrets in `Config`, for key-based redaction (log lines). */
export const SECRET_KEYS: readonly string[] = [
  ...new Set(
    [...SECRET_PATHS.values()].flatMap((paths) => paths.map((path) => path[path.length - 1] ?? '')),
  ),
].filter((key) => key !== '');

function at(config: unknown, path: Path): unknown {
  let value = config;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The password of a URL's credentials (`scheme://user:password@host`), if it has one. */
export function urlPassword(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(strings);
}

/**
 * Every secret value `config` holds: the values of the variables marked secret, the
 * credential-bearing parts of those that are URLs (path, query, userinfo: a Slack webhook's
 * path is its credential), and the password and credential-named query values of every other
 * URL-valued setting (`DATABASE_URL`, `REDIS_URL`, `SMTP_URL`, …). See url-secrets.ts.
 */
export function secretValues(config: Config): string[] {
  const marked = [...SECRET_PATHS.values()]
    .flat()
    .map((path) => at(config, path))
    .filter((value): value is string => typeof value === 'string' && value !== '');
  const markedParts = marked.filter(looksLikeUrl).flatMap((url) => urlCredentialParts(url, true));
  const inUrls = strings(config)
    .filter(looksLikeUrl)
    .flatMap((url) => urlCredentialParts(url, false));
  return [...new Set([...marked, ...markedParts, ...inUrls])];
}
