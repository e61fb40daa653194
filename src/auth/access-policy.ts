/**
 * Which role each /api route needs: one table, consulted before routing, so a route added
 * later is covered by the method default (reads: viewer, writes: editor) rather than left open.
 * Routes with their own bearer token (Prometheus scrapes, Alertmanager's webhook) are `token`
 * while that token is configured, and need a role otherwise.
 */
import type { Access, Role } from './identity.js';

interface AccessRule {
  /** Path under /api, matched as whole segments (`/keys` covers `/keys/abc`). */
  readonly prefix: string;
  /** Methods the rule covers; all when absent. */
  readonly methods?: readonly string[];
  readonly access: Access;
  /** For `token` routes: the role needed instead while their token is not configured. */
  readonly fallback?: Role;
}

export const ACCESS_RULES: readonly AccessRule[] = [
  { prefix: '/metrics', methods: ['GET', 'HEAD'], access: 'token', fallback: 'viewer' },
  { prefix: '/alerts/webhook', methods: ['POST'], access: 'token', fallback: 'editor' },
  // The API description and its reference page: what any client needs to learn the API, and a
  // browser loads the page's files without credentials.
  { prefix: '/openapi.json', methods: ['GET', 'HEAD'], access: 'public' },
  { prefix: '/docs', methods: ['GET', 'HEAD'], access: 'public' },
  // OTLP/HTTP export: applications and Collectors with an ingest key (or editor, admin).
  { prefix: '/v1/traces', methods: ['POST'], access: 'ingest' },
  { prefix: '/keys', access: 'admin' },
  { prefix: '/audit', access: 'admin' },
];

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The path as the router will match it: percent-decoded, lower case (Express matches paths
 * case-insensitively), repeated and trailing slashes folded. Undefined when it cannot decode,
 * which the policy treats as the strictest case.
 */
function normalise(path: string): string | undefined {
  try {
    return decodeURIComponent(path)
      .toLowerCase()
      .replace(/\/+/g, '/')
      .replace(/(.)\/$/, '$1');
  } catch {
    return undefined;
  }
}

/**
 * What a request to `path` (relative to /api) with `method` needs. `tokens` names the `token`
 * routes whose own token is configured (METRICS_TOKEN → `/metrics`, ALERT_WEBHOOK_TOKEN →
 * `/alerts/webhook`); without it such a route falls back to a role, so it is never open.
 */
export function requiredAccess(
  method: string,
  path: string,
  tokens: ReadonlySet<string> = new Set(),
): Access {
  const normalised = normalise(path);
  if (normalised === undefined) return 'admin';
  const upper = method.toUpperCase();
  for (const rule of ACCESS_RULES) {
    const covers = normalised === rule.prefix || normalised.startsWith(`${rule.prefix}/`);
    if (!covers || (rule.methods !== undefined && !rule.methods.includes(upper))) continue;
    return rule.access === 'token' && !tokens.has(rule.prefix)
      ? (rule.fallback ?? 'admin')
      : rule.access;
  }
  return isSafeMethod(upper) ? 'viewer' : 'editor';
}
