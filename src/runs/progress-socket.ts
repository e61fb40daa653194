/**
 * Run progress over WebSocket at /ws.
 *
 * Client → server: `{"type":"subscribe","run_id":"…","since":N}` (since = results already
 * seen, default 0) and `{"type":"unsubscribe","run_id":"…"}`.
 * Server → client: `subscribed` (with the run as stored now), then every stored result after
 * `since` as `result` events, then live `result` / `run.started` / `run.finished` events.
 * Because results are replayed from the database, a client that reconnects with the count it
 * has seen loses nothing.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
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
]);

const REPLAY_PAGE = 500;

export interface ProgressSocket {
  connectionCount(): number;
  close(): Promise<void>;
}

export interface ProgressSocketOptions {
  readonly onConnectionCountChange?: (count: number) => void;
}

export function attachProgressSocket(
  server: Server,
  deps: { runs: RunStore; events: RunEventBus; logger: Logger },
  options: ProgressSocketOptions = {},
): ProgressSocket {
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
  const changed = () => options.onConnectionCountChange?.(wss.clients.size);

  wss.on('connection', (socket: WebSocket) => {
    changed();
    const subscriptions = new Map<string, () => void>();
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
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
      for (let offset = since; ; offset += REPLAY_PAGE) {
        const page = await deps.runs.listResults(runId, { limit: REPLAY_PAGE, offset });
        for (const result of page.items) deliver({ type: 'result', run_id: runId, result });
        if (page.items.length < REPLAY_PAGE) break;
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
          message: 'Expected {"type":"subscribe"|"unsubscribe","run_id":"…"}',
        });
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
    });
    socket.on('close', () => {
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
        for (const client of wss.clients) client.close(1001, 'server shutting down');
        wss.close(() => resolve());
      }),
  };
}
