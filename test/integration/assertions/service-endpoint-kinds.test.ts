/**
 * The new assertion kinds on the service (src/main.ts as its own process, the loopback
 * OpenAI-wire server as the model): a bad value is 422 naming the field; a webhook URL whose
 * origin is not in ASSERTION_ENDPOINT_ALLOWED_ORIGINS is 422 naming the field and the variable
 * (server-side request forgery); an allowed one is stored and called by the run, and a
 * perplexity check gets the answer's logprobs (the run asks the server for them).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configureAssertionEndpoints } from '../../../src/assertions/index.js';
import { startJsonEndpoint, type JsonEndpoint } from '../../support/json-endpoint.js';
import { startMain } from '../../support/main-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('webhook, text-metric and perplexity assertions on the service', () => {
  let wire: WireServer;
  let hook: JsonEndpoint;
  let main: ReturnType<typeof startMain>;
  let url: string;
  let cardId: string;
  const dir = tempDir();
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = () => 'the cat sat';
    wire.logProbs = [Math.log(0.5), Math.log(0.5), Math.log(0.5)];
    hook = await startJsonEndpoint(() => ({ pass: true, score: 0.7, reason: 'fine' }));
    // The test client checks responses against the same schema: it gets the service's list.
    configureAssertionEndpoints({ allowedOrigins: [hook.url], timeoutMs: 5000 });
    main = startMain(
      {
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
        SEED_SAMPLES: 'false',
        OPENAI_BASE_URL: wire.url,
        ASSERTION_ENDPOINT_ALLOWED_ORIGINS: hook.url,
      },
      dir.path,
    );
    url = await main.url();
    const card = await request(url, 'POST', '/api/prompt-cards', {
      title: 'Metrics',
      prompt_template: 'Say {{n}}',
    });
    cardId = card.body.id as string;
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    await wire.close();
    await hook.close();
    dir.remove();
  });

  const create = (assertions: unknown[]) =>
    request(url, 'POST', `/api/prompt-cards/${cardId}/test-cases`, {
      name: 'case',
      input_variables: { n: '1' },
      assertions,
    });

  it('rejects a bad value with 422 naming the field', async () => {
    const tc = await create([
      { type: 'contains', value: 'cat' },
      { type: 'bleu', value: 3 },
    ]);
    assert.equal(tc.status, 422, tc.text);
    assert.equal(tc.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
    assert.deepEqual(
      tc.body.error.fields.map((f: { field: string }) => f.field),
      ['assertions.1.value'],
    );
  });

  it('rejects a webhook outside the allow-list with 422 naming the field and the variable', async () => {
    const tc = await create([
      { type: 'webhook', value: 'http://169.254.169.254/latest/meta-data' },
    ]);
    assert.equal(tc.status, 422, tc.text);
    const fields = tc.body.error.fields as { field: string; message: string }[];
    assert.deepEqual(
      fields.map((f) => f.field),
      ['assertions.0.value'],
    );
    assert.match(fields[0]?.message ?? '', /ASSERTION_ENDPOINT_ALLOWED_ORIGINS/);
  });

  it('runs an allowed webhook, the text metrics and perplexity', async () => {
    const tc = await create([
      { type: 'webhook', value: `${hook.url}/judge` },
      { type: 'levenshtein', value: 'the cat sat!', threshold: 1 },
      { type: 'rouge-n', value: 'the cat sat' },
      { type: 'perplexity', threshold: 2.5 },
    ]);
    assert.equal(tc.status, 201, tc.text);
    const run = await request(url, 'POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
    });
    assert.equal(run.status, 202, run.text);
    let status = 'queued';
    while (status === 'queued' || status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      status = (await request(url, 'GET', `/api/runs/${run.body.id}`)).body.status as string;
    }
    assert.equal(status, 'completed');
    const results = await request(url, 'GET', `/api/runs/${run.body.id}/results`);
    const result = results.body.items[0];
    assert.equal(result.error, null, JSON.stringify(result.error));
    assert.deepEqual(
      (result.assertions as { type: string; pass: boolean; score: number }[]).map((a) => [
        a.type,
        a.pass,
        a.score,
      ]),
      [
        ['webhook', true, 0.7],
        ['levenshtein', true, 1],
        ['rouge-n', true, 1],
        ['perplexity', true, 1],
      ],
    );
    assert.equal(hook.requests.length, 1);
    assert.equal(hook.requests[0]?.path, '/judge');
    assert.equal((wire.requests.at(-1)?.body as { logprobs?: unknown }).logprobs, true);
  });
});
