/**
 * Guards against browsers being used as a confused deputy:
 * - `hostGuard`: DNS rebinding. A page on evil.example re-pointed at 127.0.0.1 sends
 *   `Host: evil.example`; only the names in ALLOWED_HOSTS (and, in AUTH_MODE=none, the loopback
 *   names) are served. Probe and scrape routes are exempt: kubelets and Prometheus address
 *   the instance by IP.
 * - `originGuard`: a write (or WebSocket upgrade) whose `Origin` is another site, or which the
 *   browser marks `Sec-Fetch-Site: cross-site`, is refused (403).
 * - `requireJsonWrites`: every write must say `Content-Type: application/json`. HTML forms and
 *   no-cors fetches can only send form, multipart or text types (or none), so a cross-site
 *   request can never pass, even with an empty body.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const EXEMPT_FROM_HOST_CHECK = new Set(['/live', '/ready', '/api/metrics']);

/** `host` without its port, lower case; IPv6 literals keep their brackets. */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  return lower.replace(/:\d*$/, '');
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

export interface HostPolicy {
  /** Host names from ALLOWED_HOSTS (lower case, no port). */
  readonly allowedHosts: readonly string[];
  /** AUTH_MODE=none: loopback names are always served, and only they when the list is empty. */
  readonly loopbackOnly: boolean;
}

export function hostAllowed(host: string | undefined, policy: HostPolicy): boolean {
  if (host === undefined || host === '') return false;
  const name = hostName(host);
  if (policy.loopbackOnly && isLoopbackName(name)) return true;
  if (policy.allowedHosts.length === 0) return !policy.loopbackOnly;
  return policy.allowedHosts.includes(name);
}

/** The refusal for a request's Host and Origin, or undefined; shared by HTTP and WebSocket. */
export function browserRefusal(
  req: IncomingMessage,
  policy: HostPolicy,
  checkOrigin: boolean,
): AppError | undefined {
  if (!hostAllowed(req.headers.host, policy)) return new AppError('PCS_ERR_HTTP_HOST_NOT_ALLOWED');
  if (!checkOrigin) return undefined;
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    return new AppError('PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED');
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return new AppError('PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED');
  }
  const sameOrigin = originHost !== '' && originHost === req.headers.host?.toLowerCase();
  const listed = policy.allowedHosts.includes(hostName(originHost));
  return sameOrigin || listed ? undefined : new AppError('PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED');
}

export function hostGuard(policy: HostPolicy): RequestHandler {
  return (req, _res, next) => {
    if (EXEMPT_FROM_HOST_CHECK.has(req.path)) {
      next();
      return;
    }
    next(browserRefusal(req, policy, !SAFE_METHODS.has(req.method)));
  };
}

/** The media type of a Content-Type header, lower case, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * The bulk import also takes CSV and JSON Lines. Neither is a type a cross-site form or a
 * no-CORS fetch may send (only text/plain, urlencoded and multipart are), so a browser asks the
 * server first and the Origin check still applies: allowing them opens no CSRF path.
 */
const IMPORT_PATH = /^\/prompt-cards\/[^/]+\/test-cases\/import\/?$/;
const IMPORT_TYPES = new Set(['text/csv', 'application/x-ndjson', 'application/jsonl']);
// The OTLP receiver checks its own types (protobuf or JSON) and names a wrong one; it only
// accepts types a form or no-cors fetch cannot send.
const OTLP_PATH = /^\/v1\/traces\/?$/;

export const requireJsonWrites: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const type = mediaType(req.headers['content-type']);
  if (
    type !== 'application/json' &&
    !/^application\/[a-z0-9.+-]+\+json$/.test(type) &&
    !(IMPORT_PATH.test(req.path) && IMPORT_TYPES.has(type)) &&
    !OTLP_PATH.test(req.path)
  ) {
    next(
      new AppError(
        'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
        'Requests that change state must send Content-Type: application/json',
      ),
    );
    return;
  }
  next();
};
