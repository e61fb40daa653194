/**
 * Run progress over WebSocket at /ws.
 *
 * Client → server: `{"type":"subscribe","run_id":"…","since":N}` (since = results already
 * seen, default 0) and `{"type":"unsubscribe","run_id":"…"}`.
 * Server → client: `subscribed` (with the run as stored now), then every stored result after
 * `since` as `result` events, then live `result` / `run.started` / `run.finished` events.
 * Because results are replayed from the database, a client that reconnects with the count it
 * has seen loses nothing.
 *
 * Two bounds keep a socket from costing memory for ever: a client that does not read (its send
 * buffer past `maxBufferedBytes`) is closed with 1013 "try again later" — it reconnects with
 * `since` and loses nothing — and every `heartbeatIntervalMs` each socket is pinged; one that did
 * not answer the previous ping (a dead peer, a cut network) is terminated.
 */
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Admission, SocketAccess } from '../auth/index.js';
import { z } from 'zod';
import { sleep } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { RunEvent, RunEventBus } from './run-events.js';
import type { RunStore } from './run-store.js';

const clientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    run_id: z.string().min(1).max(100),
    since: z.number().int().min(0).default(0),
  }),
  z.object({ type: z.literal('unsubscribe'), run_id: z.string().min(1).max(100) }),
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(200) }),
]);

/**
 * The replay waits while this much is queued on the socket: results are read from the
 * database a few at a time and sent as the client takes them, so a run whose results carry
 * megabytes each is never held in memory whole.
 */
const REPLAY_BUFFER_BYTES = 8 * 1024 * 1024;
/** How long a socket admitted pending authentication may stay without an `auth` message. */
const AUTH_TIMEOUT_MS = 10_000;
/** WebSocket close code for "not authenticated" (the 4000–4999 range is the application's). */
const CLOSE_UNAUTHENTICATED = 4401;
/** RFC 6455 / IANA 1013 "Try Again Later": the client was too slow; reconnect with `since`. */
const CLOSE_SLOW_CONSUMER = 1013;
/** How long a slow consumer has to take its queued bytes and the close frame before the cut. */
const SLOW_CONSUMER_GRACE_MS = 2_000;
/** Defaults of ProgressSocketOptions (the configuration's WS_* defaults). */
const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

/** Why the server ended a socket (the `reason` label of websocket_connections_terminated_total). */
export type TerminationReason = 'slow_consumer' | 'missed_pong';

export interface ProgressSocket {
  connectionCount(): number;
  close(): Promise<void>;
}

export interface ProgressSocketOptions {
  readonly onConnectionCountChange?: (count: number) => void;
  /** Authentication and request checks at the upgrade; every socket is admitted without it. */
  readonly access?: SocketAccess;
  /** Bytes queued for one socket past which it is closed as a slow consumer; default 16 MiB. */
  readonly maxBufferedBytes?: number;
  /** Ping period (ms); a socket that missed the previous pong is terminated. Default 30 s. */
  readonly heartbeatIntervalMs?: number;
  /** Called once per socket the server ends for `reason`. */
  readonly onTerminated?: (reason: TerminationReason) => void;
}

export function attachProgressSocket(
  server: Server,
  deps: { runs: RunStore; events: RunEventBus; logger: Logger },
  options: ProgressSocketOptions = {},
): ProgressSocket {
  const admissions = new WeakMap<IncomingMessage, Admission>();
  const wss = new WebSocketServer({
    server,
    path: '/ws',
    maxPayload: 64 * 1024,
    ...(options.access === undefined
      ? {}
      : {
          verifyClient: (
            info: { req: IncomingMessage },
            callback: (ok: boolean, code?: number, message?: string) => void,
          ) => {
            options.access?.admit(info.req).then(
              (admission) => {
                if (admission.status === 'refused') {
                  callback(false, admission.error.status, admission.error.message);
                  return;
                }
                admissions.set(info.req, admission);
                callback(true);
              },
              (error: unknown) => {
                deps.logger.warn({ err: error }, 'websocket admission failed');
                callback(false, 500, 'Internal error');
              },
            );
          },
        }),
  });
  // The HTTP server's errors are re-emitted here; they are the server's to report, not a crash.
  wss.on('error', (error) => deps.logger.warn({ err: error }, 'websocket server error'));
  const changed = () => options.onConnectionCountChange?.(wss.clients.size);
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  // The replay pauses well before the bound, so a reading client is never closed by it.
  const replayPauseBytes = Math.min(REPLAY_BUFFER_BYTES, Math.floor(maxBuffered / 2));
  const alive = new WeakMap<WebSocket, boolean>();
  const ended = new WeakSet<WebSocket>();
  const end = (socket: WebSocket, reason: TerminationReason) => {
    if (ended.has(socket) || socket.readyState === socket.CLOSED) return;
    ended.add(socket);
    options.onTerminated?.(reason);
    deps.logger.info({ reason }, 'websocket ended by the server');
    if (reason === 'missed_pong') {
      // No closing handshake: the peer is gone, it would never answer one.
      socket.terminate();
      return;
    }
    // A slow reader still gets the close code after what is queued; one that does not read at
    // all is cut when the grace ends (the queued bytes are freed then).
    socket.close(CLOSE_SLOW_CONSUMER, 'slow consumer');
    setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
  };
  const heartbeat = setInterval(() => {
    for (const socket of wss.clients) {
      if (ended.has(socket)) continue;
      if (alive.get(socket) === false) {
        end(socket, 'missed_pong');
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    changed();
    alive.set(socket, true);
    socket.on('pong', () => alive.set(socket, true));
    let authenticated = options.access === undefined || admissions.get(req)?.status === 'accepted';
    const authTimer = authenticated
      ? undefined
      : setTimeout(
          () => socket.close(CLOSE_UNAUTHENTICATED, 'authentication timeout'),
          AUTH_TIMEOUT_MS,
        );
    authTimer?.unref();
    let authenticating: Promise<void> | undefined;
    const refuse = (code: string, message: string) => {
      send({ type: 'error', code, message });
      socket.close(CLOSE_UNAUTHENTICATED, 'not authenticated');
    };
    const subscriptions = new Map<string, () => void>();
    const send = (message: unknown) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > maxBuffered) {
        // Dropping one event would leave a gap the client cannot see; closing tells it to
        // reconnect with the count it has, and the replay fills the gap from the database.
        end(socket, 'slow_consumer');
        return;
      }
      socket.send(JSON.stringify(message));
    };

    const subscribe = async (runId: string, since: number) => {
      subscriptions.get(runId)?.();
      // Listen first and buffer, so nothing published during the replay is missed.
      let buffer: RunEvent[] | undefined = [];
      const sent = new Set<string>();
      const deliver = (event: RunEvent) => {
        if (event.type === 'result') {
          if (sent.has(event.result.id)) return;
          sent.add(event.result.id);
        }
        send(event);
      };
      const unsubscribe = deps.events.subscribe((event) => {
        if (event.run_id !== runId) return;
        if (buffer === undefined) deliver(event);
        else buffer.push(event);
      });
      subscriptions.set(runId, unsubscribe);
      const run = await deps.runs.getRun(runId);
      if (run === undefined) {
        unsubscribe();
        subscriptions.delete(runId);
        send({ type: 'error', run_id: runId, message: 'No run with this id' });
        return;
      }
      send({ type: 'subscribed', run_id: runId, run });
      const replay = deps.runs.iterateResults(runId, {
        limit: Number.MAX_SAFE_INTEGER,
        offset: since,
      });
      for await (const result of replay) {
        deliver({ type: 'result', run_id: runId, result });
        while (socket.readyState === socket.OPEN && socket.bufferedAmount > replayPauseBytes)
          await sleep(10);
        if (socket.readyState !== socket.OPEN) return;
      }
      const pending = buffer;
      buffer = undefined;
      for (const event of pending) deliver(event);
      const finished = !['queued', 'running'].includes(run.status);
      if (finished && !pending.some((e) => e.type === 'run.finished')) {
        send({ type: 'run.finished', run_id: runId, run: (await deps.runs.getRun(runId)) ?? run });
      }
    };

    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      let parsed: z.infer<typeof clientMessage>;
      try {
        const text = (
          Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)
        ).toString('utf8');
        parsed = clientMessage.parse(JSON.parse(text));
      } catch {
        send({
          type: 'error',
          message:
            'Expected {"type":"subscribe"|"unsubscribe","run_id":"…"} or {"type":"auth","token":"…"}',
        });
        return;
      }
      if (parsed.type === 'auth') {
        if (authenticated || options.access === undefined || authenticating !== undefined) return;
        // Messages that follow (a browser sends auth and subscribe at once) wait for the answer.
        authenticating = options.access.authenticateToken(parsed.token).then(
          (outcome) => {
            if (!outcome.ok) {
              refuse(outcome.error.code, outcome.error.message);
              return;
            }
            authenticated = true;
            clearTimeout(authTimer);
            send({ type: 'authenticated', role: outcome.identity.role });
          },
          () => refuse('PCS_ERR_SERVER_INTERNAL', 'Authentication failed'),
        );
        return;
      }
      if (!authenticated && authenticating !== undefined) {
        void authenticating.then(() => {
          if (authenticated) handle(parsed);
        });
        return;
      }
      handle(parsed);
    });
    const handle = (parsed: Exclude<z.infer<typeof clientMessage>, { type: 'auth' }>) => {
      if (!authenticated) {
        refuse('PCS_ERR_AUTH_REQUIRED', 'Send {"type":"auth","token":"<API key>"} first');
        return;
      }
      if (parsed.type === 'unsubscribe') {
        subscriptions.get(parsed.run_id)?.();
        subscriptions.delete(parsed.run_id);
        return;
      }
      subscribe(parsed.run_id, parsed.since).catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'websocket subscription failed');
        send({ type: 'error', run_id: parsed.run_id, message: 'Subscription failed' });
      });
    };
    socket.on('close', () => {
      clearTimeout(authTimer);
      for (const unsubscribe of subscriptions.values()) unsubscribe();
      subscriptions.clear();
      changed();
    });
    socket.on('error', (error) => deps.logger.debug({ err: error }, 'websocket error'));
  });

  return {
    connectionCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}
