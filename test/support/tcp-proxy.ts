/**
 * A TCP proxy on 127.0.0.1 in front of a real service, which a test can take down (closing
 * every connection and refusing new ones) and bring back on the same port: an outage of the
 * service as the client sees it, without touching the shared service itself.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Closes every connection and the listener. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /**
   * Holds every byte both ways, on open and new connections, until `flow()`: a service that
   * accepts but does not answer (what a client sees as a hang, then its own timeout).
   */
  stall(): void;
  /** Delivers what was held and forwards again. */
  flow(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let server: Server | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        pairs.add([client, upstream]);
        client.once('close', () => pairs.forEach((p) => p[0] === client && pairs.delete(p)));
        if (!stalled) client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as AddressInfo).port);
      });
    });
  const port = await listen(0);
  const down = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    const s = server;
    server = undefined;
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    down,
    up: async () => {
      if (server === undefined) await listen(port);
    },
    close: down,
    stall: () => {
      stalled = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
      }
    },
    flow: () => {
      stalled = false;
      for (const [client, upstream] of pairs) client.pipe(upstream).pipe(client);
    },
  };
}
