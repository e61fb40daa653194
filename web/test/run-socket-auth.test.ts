/**
 * followRun against the real server with AUTH_MODE=api-key (in-process, over a real WebSocket
 * from the `ws` client): with the key it authenticates by its first message and sees the run
 * finish; with a wrong key every connection is refused (an `error`, then close 4401), and after
 * three of them it falls back (`onUnavailable`) with delays that grew instead of resetting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket as NodeWebSocket } from 'ws';
import { startTestServer, type TestServer } from '../../test/support/test-server';
import { followRun } from '../src/lib/run-socket';
import { RunTracker } from '../src/lib/run-tracker';

const Impl = NodeWebSocket as unknown as typeof WebSocket;

describe('followRun with AUTH_MODE=api-key', () => {
  let server: TestServer;
  let key = '';
  let runId = '';

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      SIMULATED_LATENCY_MS: '30',
      SIMULATED_FAILURE_RATE: '0',
    });
    key = (await server.running.keys.create('web', 'editor')).key;
    const auth = { authorization: `Bearer ${key}` };
    const card = await server.request(
      'POST',
      '/api/prompt-cards',
      { title: 'Auth', prompt_template: 'Say {{w}}' },
      auth,
    );
    await server.request(
      'POST',
      `/api/prompt-cards/${card.body.id}/test-cases`,
      { name: 'c', input_variables: { w: 'hi' } },
      auth,
    );
    const created = await server.request(
      'POST',
      `/api/prompt-cards/${card.body.id}/runs`,
      { models: ['simulated:fast'], repeat: 10 },
      auth,
    );
    assert.equal(created.status, 202, created.text);
    runId = created.body.id as string;
  });
  after(async () => server.dispose());

  it('sends the key first and follows the run to its end', { timeout: 20_000 }, async () => {
    const tracker = new RunTracker(runId);
    await new Promise<void>((resolve, reject) => {
      const follower = followRun({
        url: `${server.url.replace('http', 'ws')}/ws`,
        tracker,
        token: key,
        WebSocketImpl: Impl,
        onChange: () => {
          if (tracker.run?.status === 'completed') {
            follower.close();
            resolve();
          }
        },
        onUnavailable: () => reject(new Error('fell back to polling with a valid key')),
      });
    });
    assert.equal(tracker.run?.status, 'completed');
    assert.equal(tracker.results.length, 10);
  });

  it(
    'counts refused connections as silent, falls back after three, and backs off',
    { timeout: 20_000 },
    async () => {
      const opens: number[] = [];
      const tracker = new RunTracker(runId);
      await new Promise<void>((resolve) => {
        followRun({
          url: `${server.url.replace('http', 'ws')}/ws`,
          tracker,
          token: 'pcs_not-a-key',
          WebSocketImpl: Impl,
          onChange: () => undefined,
          onConnection: (state) => state === 'open' && opens.push(Date.now()),
          onUnavailable: resolve,
        });
      });
      assert.equal(opens.length, 3);
      assert.equal(tracker.results.length, 0);
      // 0.5 s then 1 s: the second wait is the longer one (it was reset to 0.5 s on every open).
      const [first, second] = [opens[1] - opens[0], opens[2] - opens[1]];
      assert.ok(second >= 900, `second delay ${second} ms after first ${first} ms`);
    },
  );
});
