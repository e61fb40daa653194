/**
 * The HTTP listener of every process: Node's server with the configured timeouts, and a listen
 * that fails with one line naming the address.
 *
 * - `createHttpServer(handler, timeouts)`: requestTimeout / headersTimeout (a client trickling
 *   its headers or body is answered 408 and closed) and keepAliveTimeout (kept above a load
 *   balancer's idle timeout so the server never closes a connection the balancer is using).
 * - `listen(server, port, host)`: resolves once listening; rejects with `ListenError`
 *   ("127.0.0.1:3001 is in use (EADDRINUSE)"), which `main` prints without a stack.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

/** How often Node checks open connections against the request and header timeouts (ms). */
const CONNECTIONS_CHECK_MS = 500;

export interface HttpTimeouts {
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
}

export function createHttpServer(handler: RequestListener, timeouts: HttpTimeouts): Server {
  // Timeouts are enforced at each connection check; Node's default 30 s check would let a slow
  // client outlive a short timeout by that much.
  const server = createServer({ connectionsCheckingInterval: CONNECTIONS_CHECK_MS }, handler);
  server.requestTimeout = timeouts.requestTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

/** Listens, or rejects with one line naming the address (`EADDRINUSE`, `EACCES`, …). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why =
        error.code === 'EADDRINUSE'
          ? 'is in use'
          : error.code === 'EACCES'
            ? 'needs privileges this process does not have'
            : 'cannot be listened on';
      reject(new ListenError(`${address} ${why} (${error.code ?? error.message})`, error));
    };
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** The API could not listen: its message is the whole story (main prints no stack for it). */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}
