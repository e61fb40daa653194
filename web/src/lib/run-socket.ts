/**
 * Follows one run over `/ws`: subscribes with `since` = results already held, feeds every event
 * to the tracker, and after a dropped connection reconnects with exponential backoff (0.5 s
 * doubling to 10 s), asking again from what it holds, so the server's replay fills the gap.
 * Stops by itself once the run has finished; `close()` stops it at once (leaving the page).
 * With a `token` (the API key), the first message is `{"type":"auth","token"}`, as a browser
 * cannot set an Authorization header on a WebSocket. After three connections in a row that
 * brought no event (no socket, an `error` message, or a 4401 close from an authenticating
 * server), it gives up and calls `onUnavailable`, so the page can poll instead. The delay only
 * returns to 0.5 s once a connection brings an event: an open that is then refused still backs off.
 */
import type { RunEvent } from '../api/types';
import type { RunTracker } from './run-tracker';

export interface RunSocketOptions {
  url: string;
  tracker: RunTracker;
  onChange: () => void;
  onConnection?: (state: 'open' | 'reconnecting') => void;
  onUnavailable?: () => void;
  /** API key sent as `{"type":"auth","token"}` before subscribing; none when the server is open. */
  token?: string | null;
  /** For tests: a WebSocket-compatible constructor. */
  WebSocketImpl?: typeof WebSocket;
}

/** The server's close code for "not authenticated" (src/runs/progress-socket.ts). */
const CLOSE_UNAUTHENTICATED = 4401;
const FIRST_DELAY_MS = 500;

export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export function followRun(options: RunSocketOptions): { close(): void } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = FIRST_DELAY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let silentConnections = 0;

  const connect = () => {
    if (closed) return;
    const ws = new Impl(options.url);
    socket = ws;
    let heard = false;
    ws.addEventListener('open', () => {
      options.onConnection?.('open');
      if (options.token !== undefined && options.token !== null && options.token !== '')
        ws.send(JSON.stringify({ type: 'auth', token: options.token }));
      ws.send(
        JSON.stringify({
          type: 'subscribe',
          run_id: options.tracker.runId,
          since: options.tracker.since,
        }),
      );
    });
    ws.addEventListener('message', (message: MessageEvent) => {
      let event: RunEvent | { type: 'authenticated' };
      try {
        event = JSON.parse(String(message.data)) as RunEvent | { type: 'authenticated' };
      } catch {
        return;
      }
      // A refusal (`error`) or the bare `authenticated` answer is no progress heard.
      if (event.type === 'error' || event.type === 'authenticated') return;
      heard = true;
      delay = FIRST_DELAY_MS;
      if (options.tracker.apply(event)) options.onChange();
      if (event.type === 'run.finished' && event.run_id === options.tracker.runId) {
        closed = true;
        ws.close(1000);
      }
    });
    ws.addEventListener('close', (event: CloseEvent) => {
      if (closed) return;
      const refused = event.code === CLOSE_UNAUTHENTICATED;
      silentConnections = heard && !refused ? 0 : silentConnections + 1;
      if (silentConnections >= 3 && options.onUnavailable !== undefined) {
        closed = true;
        options.onUnavailable();
        return;
      }
      options.onConnection?.('reconnecting');
      timer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10_000);
    });
  };
  connect();

  return {
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      socket?.close(1000);
    },
  };
}
