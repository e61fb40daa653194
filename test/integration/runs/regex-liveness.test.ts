/**
 * A user pattern with catastrophic backtracking (`^(a+)+$` against 28 × "a" + "!") must not
 * stall the service: the server runs as its own process (src/main.ts) so that a blocked event
 * loop there shows as a `/live` that does not answer here. The model is the loopback
 * OpenAI-wire server.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

/** How long /live may take to answer: far above a healthy answer, far below a 13 s stall. */
const LIVE_DEADLINE_MS = 5000;

describe('user regex patterns never stall the service', () => {
  let wire: WireServer;
  let main: ReturnType<typeof startMain>;
  let url: string;
  const dir = tempDir();
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = (prompt) => `${'a'.repeat(prompt.endsWith('29') ? 29 : 28)}!`;
    main = startMain(
      {
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
        SEED_SAMPLES: 'false',
        LOG_LEVEL: 'info',
        OPENAI_BASE_URL: wire.url,
      },
      dir.path,
    );
    url = await main.url();
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    await wire.close();
    dir.remove();
  });

  it('rejects a pattern the engine cannot run with 422 naming assertions.N.value', async () => {
    const card = await request(url, 'POST', '/api/prompt-cards', {
      title: 'Patterns',
      prompt_template: 'Say {{n}}',
    });
    const tc = await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
      name: 'backreference',
      input_variables: { n: '1' },
      assertions: [
        { type: 'contains', value: 'a' },
        { type: 'regex', value: '(a)\\1' },
      ],
    });
    assert.equal(tc.status, 422, tc.text);
    assert.equal(tc.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
    assert.deepEqual(
      tc.body.error.fields.map((f: { field: string }) => f.field),
      ['assertions.1.value'],
    );
  });

  it('scores ^(a+)+$ and ^(a|a)*$ while /live keeps answering', async () => {
    const card = await request(url, 'POST', '/api/prompt-cards', {
      title: 'Backtracking',
      prompt_template: 'Say {{n}}',
    });
    for (const [n, value] of [
      ['28', '^(a+)+$'],
      ['29', '^(a|a)*$'],
    ] as const) {
      const tc = await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
        name: value,
        input_variables: { n },
        assertions: [{ type: 'regex', value }],
      });
      assert.equal(tc.status, 201, tc.text);
    }
    const run = await request(url, 'POST', `/api/prompt-cards/${card.body.id}/runs`, {
      models: ['openai:alpha'],
    });
    assert.equal(run.status, 202, run.text);
    let status = 'queued';
    while (status === 'queued' || status === 'running') {
      const live = await fetch(`${url}/live`, { signal: AbortSignal.timeout(LIVE_DEADLINE_MS) });
      assert.equal(live.status, 200);
      status = (await request(url, 'GET', `/api/runs/${run.body.id}`)).body.status as string;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(status, 'completed');
    const results = await request(url, 'GET', `/api/runs/${run.body.id}/results`);
    assert.equal(results.body.items.length, 2);
    for (const result of results.body.items) {
      assert.equal(result.error, null);
      assert.equal(result.passed, false, 'the trailing "!" does not match');
      assert.equal(result.assertions[0].error, undefined);
    }
  });
});
