/**
 * Closes an HTTP server without resetting a request it accepted. Node's own `server.close()`
 * also closes every "idle" connection at once, and a connection accepted a moment ago whose
 * request is still on the wire counts as idle: that client gets ECONNRESET. Here the listener
 * stops first; a connection that has not served a request yet is left to send it (answered with
 * `Connection: close`); only connections idle after a finished request are closed (during the
 * drain every answer said `Connection: close`, so those are the ones kept alive since before
 * it). Whatever is still open at the deadline is closed.
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
      const closed = new Promise<void>((resolve) =>
        NetServer.prototype.close.call(server, () => resolve()),
      );
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
