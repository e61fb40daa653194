/**
 * followRun against the real server (src/main.ts as a child process) over a real WebSocket (the
 * `ws` client, as Node 20 has no global WebSocket): the connection is cut mid-run, the client
 * reconnects with `since`, and the tracker ends with every result exactly once and the counts
 * the server stored.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket as NodeWebSocket } from 'ws';
import { startMain } from '../../test/support/main-process';
import { tempDir } from '../../test/support/temp-dir';
import { followRun } from '../src/lib/run-socket';
import { RunTracker } from '../src/lib/run-tracker';

const sockets: NodeWebSocket[] = [];
class RecordedWebSocket extends NodeWebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

describe('followRun', () => {
  const dir = tempDir('pcs-web-socket-');
  let main: ReturnType<typeof startMain>;
  let base = '';
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as { id: string };
  };

  before(async () => {
    main = startMain({
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'info',
      SIMULATED_LATENCY_MS: '40',
      SIMULATED_FAILURE_RATE: '0.2',
    });
    base = await main.url(60_000);
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    dir.remove();
  });

  it('reconnects after a cut with since and holds every result once, with the stored counts', async () => {
    const card = await post('/api/prompt-cards', { title: 'Socket', prompt_template: 'Say {{x}}' });
    for (const x of ['a', 'b', 'c'])
      await post(`/api/prompt-cards/${card.id}/test-cases`, {
        name: x,
        input_variables: { x },
        assertions: [{ type: 'icontains', value: 'a' }],
      });
    const run = await post(`/api/prompt-cards/${card.id}/runs`, {
      models: ['simulated:fast'],
      concurrency: 2,
      repeat: 20,
    });
    const tracker = new RunTracker(run.id);
    let cut = false;
    const finished = new Promise<void>((resolve) => {
      const follower = followRun({
        url: `${base.replace('http', 'ws')}/ws`,
        tracker,
        WebSocketImpl: RecordedWebSocket as unknown as typeof WebSocket,
        onChange: () => {
          if (!cut && tracker.results.length >= 10) {
            cut = true;
            sockets[0].terminate();
          }
          if (tracker.run?.status === 'completed') {
            follower.close();
            resolve();
          }
        },
      });
    });
    await finished;
    assert.ok(cut && sockets.length >= 2, `reconnected (${sockets.length} sockets)`);
    const stored = (await (await fetch(`${base}/api/runs/${run.id}`)).json()) as {
      progress: { completed: number; passed: number; failed: number; errored: number };
    };
    assert.equal(tracker.results.length, 60);
    assert.equal(new Set(tracker.results.map((r) => r.id)).size, 60);
    const progress = tracker.progress();
    assert.deepEqual(
      {
        completed: progress.completed,
        passed: progress.passed,
        failed: progress.failed,
        errored: progress.errored,
      },
      {
        completed: stored.progress.completed,
        passed: stored.progress.passed,
        failed: stored.progress.failed,
        errored: stored.progress.errored,
      },
    );
  });
});
