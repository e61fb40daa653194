/**
 * Who is calling: the identity an authentication mode establishes for a request, and the roles
 * that decide what it may do. `viewer` reads; `editor` also writes cards, test cases and runs;
 * `admin` also manages API keys and reads the audit trail. `ingest` stands apart: it may only
 * export telemetry (`POST /api/v1/traces`), which editor and admin may do too.
 */
import type { IncomingMessage } from 'node:http';

export const ROLES = ['viewer', 'editor', 'admin', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/** What a route needs: a role, or `token` for routes with their own bearer token. */
/** What a route needs: a role, its own bearer token, or nothing (`public`). */
export type Access = Role | 'token' | 'public';

export interface Identity {
  /** The API key's name, the proxy's user, or `anonymous` (AUTH_MODE=none). */
  readonly subject: string;
  readonly role: Role;
  /** False only in AUTH_MODE=none, where everyone acts as an unauthenticated admin. */
  readonly authenticated: boolean;
  /** The API key's id (api-key mode). */
  readonly keyId?: string;
}

export const ANONYMOUS: Identity = { subject: 'anonymous', role: 'admin', authenticated: false };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

const ORDERED: readonly Role[] = ['viewer', 'editor', 'admin'];

/**
 * Whether `role` includes every right of `needed`: viewer < editor < admin are ordered;
 * `ingest` allows only `ingest`, which editor and admin also have.
 */
export function roleAllows(role: Role, needed: Role): boolean {
  if (role === 'ingest') return needed === 'ingest';
  if (needed === 'ingest') return role === 'editor' || role === 'admin';
  return ORDERED.indexOf(role) >= ORDERED.indexOf(needed);
}

/**
 * The run's `user_category` metric label: the authenticated role, `anonymous` without
 * authentication. Never taken from a header a client can set.
 */
export function userCategoryOf(identity: Identity): string {
  return identity.authenticated ? identity.role : 'anonymous';
}

const identities = new WeakMap<IncomingMessage, Identity>();

export function setIdentity(req: IncomingMessage, identity: Identity): void {
  identities.set(req, identity);
}

/** The identity the access middleware attached; ANONYMOUS for requests it did not see. */
export function identityOf(req: IncomingMessage): Identity {
  return identities.get(req) ?? ANONYMOUS;
}
