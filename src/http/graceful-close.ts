/**
 * Closes an HTTP server without resetting a request it accepted. Node's own `server.close()`
 * also closes every "idle" connection at once, and a connection accepted a moment ago whose
 * request is still on the wire counts as idle: that client gets ECONNRESET. Here the listener
 * stops first; a connection that has not served a request yet is left to send it (answered with
 * `Connection: close`); only connections idle after a finished request are closed (during the
 * drain every answer said `Connection: close`, so those are the ones kept alive since before
 * it). Whatever is still open at the deadline is closed.
 *
 * Closing a listening socket also resets every connection in the kernel's accept queue: clients
 * still connecting at the very end of the drain got ECONNRESET (14 of 16 busy clients, with any
 * Node server). So the listener first shrinks its accept queue to one (`listen(0)` again, on
 * Linux: new connection attempts are dropped, and their clients' retries are refused once it is
 * closed, which is safe to retry), keeps accepting for `LISTENER_SETTLE_MS`, then closes right
 * after an accept (nothing left queued) or after `LISTENER_CLOSE_WAIT_MS` without one.
 */
import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

interface ConnectionState {
  active: number;
  served: number;
}

export interface GracefulClose {
  /** Resolves once every connection has ended, or at `timeoutMs` after closing the rest. */
  close(timeoutMs: number, onDeadline?: () => void): Promise<void>;
}

/** How long the listener keeps accepting after its accept queue shrank (ms). */
const LISTENER_SETTLE_MS = 100;
/** After that, how long it waits for an accept to close right after (ms). */
const LISTENER_CLOSE_WAIT_MS = 200;

interface ListenHandle {
  listen?: (backlog: number) => number;
}

/** Stops listening as the file comment says; `onClosed` once every connection has ended. */
async function closeListener(server: Server, onClosed: () => void): Promise<void> {
  const handle = (server as unknown as { _handle?: ListenHandle | null })._handle;
  // Node's own listen handle (TCPWrap): listen() again only changes the queue's length.
  const shrunk = typeof handle?.listen === 'function' && handle.listen.call(handle, 0) === 0;
  if (shrunk) {
    await new Promise((resolve) => setTimeout(resolve, LISTENER_SETTLE_MS));
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        server.off('connection', done);
        resolve();
      };
      const timer = setTimeout(done, LISTENER_CLOSE_WAIT_MS);
      server.on('connection', done);
    });
  }
  NetServer.prototype.close.call(server, () => onClosed());
}

export function trackConnections(server: Server): GracefulClose {
  const connections = new Map<Socket, ConnectionState>();
  let closing = false;
  const closeIfIdle = (socket: Socket, state: ConnectionState) => {
    if (closing && state.active === 0 && state.served > 0) socket.destroySoon();
  };
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, served: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = connections.get(req.socket);
    if (state === undefined) return;
    state.active += 1;
    res.once('close', () => {
      state.active -= 1;
      state.served += 1;
      closeIfIdle(req.socket, state);
    });
  });
  return {
    async close(timeoutMs, onDeadline) {
      closing = true;
      // net.Server's close: stop listening, but leave open connections to finish (see above).
      const closed = new Promise<void>((resolve) => void closeListener(server, () => resolve()));
      for (const [socket, state] of connections) closeIfIdle(socket, state);
      const timer = setTimeout(() => {
        onDeadline?.();
        server.closeAllConnections();
        for (const socket of connections.keys()) socket.destroy();
      }, timeoutMs);
      timer.unref();
      await closed;
      clearTimeout(timer);
    },
  };
}
