/**
 * AUTH_MODE as one object: turns a request's headers and peer address (or a WebSocket's token)
 * into an `Identity`, or the catalog error that refuses it.
 * - `none`: everyone is the unauthenticated `ANONYMOUS` admin (loopback only; see config.ts).
 * - `api-key`: `Authorization: Bearer <key>` (parsed by the shared parser), checked against the
 *   stored hashes; malformed, unknown and revoked keys are alike 401 `PCS_ERR_AUTH_INVALID`.
 * - `proxy`: `X-Forwarded-User` and `X-User-Role`, believed only from a peer address in
 *   TRUSTED_PROXY_CIDRS; from anywhere else the headers are ignored.
 */
import { BlockList, isIP } from 'node:net';
import { AppError } from '../errors.js';
import { bearerToken } from '../http/index.js';
import type { ApiKeyStore } from './api-key-store.js';
import { ANONYMOUS, isRole, type Identity } from './identity.js';
import { cutText } from '../util/index.js';

export type AuthMode = 'none' | 'api-key' | 'proxy';

export type AuthOutcome = { ok: true; identity: Identity } | { ok: false; error: AppError };

export interface RequestCredentials {
  readonly authorization: string | undefined;
  readonly forwardedUser: string | undefined;
  readonly userRole: string | undefined;
  /** The TCP peer's address (`::ffff:`-mapped IPv4 is unwrapped). */
  readonly peerAddress: string | undefined;
}

const refuse = (error: AppError): AuthOutcome => ({ ok: false, error });

/** A BlockList of the given addresses and CIDR ranges. */
export function addressList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits] = cidr.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

export class Authenticator {
  private readonly trusted: BlockList;

  constructor(
    readonly mode: AuthMode,
    private readonly keys: ApiKeyStore,
    trustedProxyCidrs: readonly string[] = [],
  ) {
    this.trusted = addressList(trustedProxyCidrs);
  }

  async authenticate(credentials: RequestCredentials): Promise<AuthOutcome> {
    switch (this.mode) {
      case 'none':
        return { ok: true, identity: ANONYMOUS };
      case 'api-key':
        if (credentials.authorization === undefined) {
          return refuse(new AppError('PCS_ERR_AUTH_REQUIRED'));
        }
        return this.authenticateToken(bearerToken(credentials.authorization));
      case 'proxy':
        return this.fromProxy(credentials);
    }
  }

  /** api-key mode: a key given in a WebSocket's first message (or parsed from a header). */
  async authenticateToken(token: string | undefined): Promise<AuthOutcome> {
    if (this.mode === 'none') return { ok: true, identity: ANONYMOUS };
    if (token === undefined || this.mode !== 'api-key') {
      return refuse(new AppError('PCS_ERR_AUTH_INVALID'));
    }
    const key = await this.keys.verify(token);
    if (key === undefined) return refuse(new AppError('PCS_ERR_AUTH_INVALID'));
    return {
      ok: true,
      identity: { subject: key.name, role: key.role, authenticated: true, keyId: key.id },
    };
  }

  private fromProxy(credentials: RequestCredentials): AuthOutcome {
    if (!this.isTrustedPeer(credentials.peerAddress)) {
      return refuse(
        new AppError(
          'PCS_ERR_AUTH_REQUIRED',
          'Requests must come through the authenticating proxy',
        ),
      );
    }
    const user = credentials.forwardedUser?.trim() ?? '';
    if (user === '') return refuse(new AppError('PCS_ERR_AUTH_REQUIRED'));
    const role = credentials.userRole?.trim().toLowerCase() ?? '';
    if (!isRole(role)) {
      return refuse(
        new AppError('PCS_ERR_AUTH_INVALID', 'X-User-Role must be viewer, editor, admin or ingest'),
      );
    }
    return { ok: true, identity: { subject: cutText(user, 200), role, authenticated: true } };
  }

  private isTrustedPeer(address: string | undefined): boolean {
    if (address === undefined) return false;
    const bare = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
    return this.trusted.check(bare, isIP(bare) === 6 ? 'ipv6' : 'ipv4');
  }
}
