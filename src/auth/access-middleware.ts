/**
 * The /api gate: authenticates the request (AUTH_MODE), attaches its identity, and refuses it
 * when the identity's role is below what `requiredAccess` says the route needs.
 * 401 `PCS_ERR_AUTH_REQUIRED` / `PCS_ERR_AUTH_INVALID` (with `WWW-Authenticate`), 403
 * `PCS_ERR_AUTH_FORBIDDEN`.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';
import { requiredAccess } from './access-policy.js';
import type { Authenticator, RequestCredentials } from './authenticator.js';
import { roleAllows, setIdentity } from './identity.js';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function credentialsOf(req: IncomingMessage): RequestCredentials {
  return {
    authorization: single(req.headers.authorization),
    forwardedUser: single(req.headers['x-forwarded-user']),
    userRole: single(req.headers['x-user-role']),
    peerAddress: req.socket.remoteAddress,
  };
}

/** `tokens`: the `token` routes whose own token is configured (see `requiredAccess`). */
export function accessMiddleware(
  authenticator: Authenticator,
  tokens: ReadonlySet<string> = new Set(),
): RequestHandler {
  return (req, res, next) => {
    const access = requiredAccess(req.method, req.path, tokens);
    if (access === 'token' || access === 'public') {
      next();
      return;
    }
    authenticator.authenticate(credentialsOf(req)).then(
      (outcome) => {
        if (!outcome.ok) {
          if (authenticator.mode === 'api-key') res.set('www-authenticate', 'Bearer');
          next(outcome.error);
          return;
        }
        setIdentity(req, outcome.identity);
        if (!roleAllows(outcome.identity.role, access)) {
          next(
            new AppError(
              'PCS_ERR_AUTH_FORBIDDEN',
              `This request needs the ${access} role; yours is ${outcome.identity.role}`,
            ),
          );
          return;
        }
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
