/**
 * Admission of the /ws progress socket: the same checks as HTTP, at the upgrade. With
 * AUTH_MODE=api-key a client may send `Authorization: Bearer <key>` with the upgrade, or (as
 * browsers cannot set headers on a WebSocket) send `{"type":"auth","token":"<key>"}` as its
 * first message; any role may follow runs.
 */
import type { IncomingMessage } from 'node:http';
import type { AppError } from '../errors.js';
import { credentialsOf } from './access-middleware.js';
import type { Authenticator, AuthOutcome } from './authenticator.js';
import type { Identity } from './identity.js';

export type Admission =
  | { status: 'accepted'; identity: Identity }
  | { status: 'pending' }
  | { status: 'refused'; error: AppError };

export interface SocketAccess {
  admit(req: IncomingMessage): Promise<Admission>;
  authenticateToken(token: string): Promise<AuthOutcome>;
}

/** `refuse` adds request checks that do not depend on identity (Host, Origin). */
export function socketAccess(
  authenticator: Authenticator,
  refuse: (req: IncomingMessage) => AppError | undefined = () => undefined,
): SocketAccess {
  return {
    async admit(req) {
      const refusal = refuse(req);
      if (refusal !== undefined) return { status: 'refused', error: refusal };
      const credentials = credentialsOf(req);
      if (authenticator.mode === 'api-key' && credentials.authorization === undefined) {
        return { status: 'pending' };
      }
      const outcome = await authenticator.authenticate(credentials);
      return outcome.ok
        ? { status: 'accepted', identity: outcome.identity }
        : { status: 'refused', error: outcome.error };
    },
    authenticateToken: (token) => authenticator.authenticateToken(token),
  };
}
