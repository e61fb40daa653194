/**
 * Follows one run over `/ws`: subscribes with `since` = results already held, feeds every event
 * to the tracker, and after a dropped connection reconnects with exponential backoff (0.5 s
 * doubling to 10 s), asking again from what it holds, so the server's replay fills the gap.
 * Stops by itself once the run has finished; `close()` stops it at once (leaving the page).
 * After three connections in a row that brought no event (no socket, or one refused by an
 * authenticating server), it gives up and calls `onUnavailable`, so the page can poll instead.
 */
import type { RunEvent } from '../api/types';
import type { RunTracker } from './run-tracker';

export interface RunSocketOptions {
  url: string;
  tracker: RunTracker;
  onChange: () => void;
  onConnection?: (state: 'open' | 'reconnecting') => void;
  onUnavailable?: () => void;
  /** For tests: a WebSocket-compatible constructor. */
  WebSocketImpl?: typeof WebSocket;
}

export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export function followRun(options: RunSocketOptions): { close(): void } {
  const Impl = options.WebSocketImpl ?? WebSocket;
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let silentConnections = 0;

  const connect = () => {
    if (closed) return;
    const ws = new Impl(options.url);
    socket = ws;
    let heard = false;
    ws.addEventListener('open', () => {
      delay = 500;
      options.onConnection?.('open');
      ws.send(
        JSON.stringify({
          type: 'subscribe',
          run_id: options.tracker.runId,
          since: options.tracker.since,
        }),
      );
    });
    ws.addEventListener('message', (message: MessageEvent) => {
      heard = true;
      let event: RunEvent;
      try {
        event = JSON.parse(String(message.data)) as RunEvent;
      } catch {
        return;
      }
      if (options.tracker.apply(event)) options.onChange();
      if (event.type === 'run.finished' && event.run_id === options.tracker.runId) {
        closed = true;
        ws.close(1000);
      }
    });
    ws.addEventListener('close', () => {
      if (closed) return;
      silentConnections = heard ? 0 : silentConnections + 1;
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
