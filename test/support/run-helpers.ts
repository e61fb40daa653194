/** Helpers for run tests: create a card with test cases, follow a run over WebSocket. */
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import type { TestServer } from './test-server.js';

export async function createCardWithCases(
  server: TestServer,
  count: number,
  assertions: unknown[] = [],
): Promise<string> {
  const card = await server.request('POST', '/api/prompt-cards', {
    title: 'Echo',
    prompt_template: 'Repeat after me: {{word}}',
    tags: ['echo'],
  });
  assert.equal(card.status, 201, card.text);
  for (let i = 0; i < count; i++) {
    const tc = await server.request('POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
      name: `case ${i}`,
      input_variables: { word: `word${i}` },
      assertions,
    });
    assert.equal(tc.status, 201, tc.text);
  }
  return card.body.id as string;
}

// Events are plain JSON; tests check the fields they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Event = any;

export interface RunWatcher {
  readonly events: Event[];
  /** Resolves with every event once `run.finished` arrives. */
  readonly finished: Promise<Event[]>;
  close(): void;
}

export function watchRun(server: TestServer, runId: string, since = 0): Promise<RunWatcher> {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
  const events: Event[] = [];
  let resolveFinished: (events: Event[]) => void = () => undefined;
  const finished = new Promise<Event[]>((resolve) => (resolveFinished = resolve));
  socket.on('message', (data: Buffer) => {
    const event = JSON.parse(data.toString('utf8'));
    events.push(event);
    if (event.type === 'run.finished') resolveFinished(events);
  });
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', run_id: runId, since }));
      resolve({ events, finished, close: () => socket.close() });
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Follows a run over WebSocket until `run.finished`, and returns every event it saw. */
export async function untilFinished(server: TestServer, runId: string): Promise<Event[]> {
  const watcher = await watchRun(server, runId);
  try {
    return await watcher.finished;
  } finally {
    watcher.close();
  }
}
