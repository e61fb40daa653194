/**
 * `push`, `compare` and `export` against a service with AUTH_MODE=api-key: the key comes from
 * `--api-key` or PROMPT_CARDS_API_KEY and is sent as `Authorization: Bearer`; without one the
 * service answers 401 (exit 2), and the key never appears in what the command prints.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliProcess as cli } from '../../support/cli-process.js';
import { waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { tempDir } from '../../support/temp-dir.js';

describe('prompt-cards push, compare and export with an API key', () => {
  let server: TestServer;
  let key: string;
  const dir = tempDir('pcs-cli-auth-');
  // Without the variable from the outer environment, so each case says where its key comes from.
  const noKey = { PROMPT_CARDS_API_KEY: undefined };

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      SIMULATED_LATENCY_MS: '0',
      SIMULATED_FAILURE_RATE: '0',
    });
    key = (await server.running.keys.create('ci', 'editor')).key;
    writeFileSync(
      join(dir.path, 'suite.yaml'),
      "prompts: ['Say {{w}}']\nproviders: [simulated:fast]\ntests:\n" +
        '  - {description: a, vars: {w: a}, assert: [{type: length, value: {min: 1}}]}\n' +
        '  - {description: b, vars: {w: b}, assert: [{type: length, value: {min: 1}}]}\n',
    );
  });
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  it('push is refused without a key (401, exit 2) and works with --api-key', async () => {
    const refused = await cli(
      ['push', '-c', 'suite.yaml', '--server', server.url],
      dir.path,
      noKey,
    );
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /401/);
    const pushed = await cli(
      ['push', '-c', 'suite.yaml', '--server', server.url, '--api-key', key],
      dir.path,
      noKey,
    );
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /Say \{\{w\}\}: created; test cases 2 created/);
    assert.ok(!pushed.stdout.includes(key) && !pushed.stderr.includes(key));
  });

  it('compare and export work with PROMPT_CARDS_API_KEY; a wrong key is refused and never printed', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const cards = await server.request('GET', '/api/prompt-cards?limit=10', undefined, auth);
    const cardId = (cards.body.items as { id: string; title: string }[]).find(
      (c) => c.title === 'Say {{w}}',
    )?.id;
    assert.ok(cardId !== undefined, cards.text);
    const created = await server.request(
      'POST',
      `/api/prompt-cards/${cardId}/runs`,
      { models: ['simulated:fast'] },
      auth,
    );
    assert.equal(created.status, 202, created.text);
    const runId = created.body.id as string;
    await waitFor('the run', async () => {
      const r = await server.request('GET', `/api/runs/${runId}`, undefined, auth);
      return r.body.status === 'completed' ? r : undefined;
    });
    const env = { PROMPT_CARDS_API_KEY: key };
    const compared = await cli(['compare', runId, runId, '--server', server.url], dir.path, env);
    assert.equal(compared.code, 0, compared.stderr);
    assert.match(compared.stdout, /simulated:fast/);
    const exported = await cli(
      ['export', runId, '--server', server.url, '-o', 'r.jsonl'],
      dir.path,
      env,
    );
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(readFileSync(join(dir.path, 'r.jsonl'), 'utf8').trim().split('\n').length, 2);

    const unauthorised = await cli(
      ['export', runId, '--server', server.url, '-o', 'x.jsonl'],
      dir.path,
      noKey,
    );
    assert.equal(unauthorised.code, 2, unauthorised.stderr);
    assert.match(unauthorised.stderr, /401/);
    const wrong = 'pck_this-key-is-wrong-0123456789abcdef';
    for (const args of [
      ['compare', runId, runId, '--server', server.url, '--api-key', wrong],
      ['push', '-c', 'suite.yaml', '--server', server.url, '--api-key', wrong],
      ['export', runId, '--server', server.url, '-o', 'y.jsonl', '--api-key', wrong],
    ]) {
      const out = await cli(args, dir.path, noKey);
      assert.equal(out.code, 2, `${args[0]}: ${out.stderr}`);
      assert.match(out.stderr, /401/);
      assert.ok(!out.stdout.includes(wrong) && !out.stderr.includes(wrong), out.stderr);
    }
  });
});
