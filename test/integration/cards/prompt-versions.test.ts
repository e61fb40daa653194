/**
 * Prompt versions: every template change is a version; a run pins the version it started with,
 * and a run resumed after a template edit renders every item with that version (it used to mix
 * the old and the new template in one summary).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { untilFinished, waitFor } from '../../support/run-helpers.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('prompt versions', () => {
  let server: TestServer;
  let model: WireServer;

  before(async () => {
    model = await startWireServer('openai');
    server = await startTestServer({ OPENAI_BASE_URL: model.url });
  });
  after(async () => {
    await server.dispose();
    await model.close();
  });

  it('numbers template changes, lists them newest first and diffs two', async () => {
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'V',
      prompt_template: 'Hello {{name}}\nBye',
    });
    const id = card.body.id as string;
    await server.request('PUT', `/api/prompt-cards/${id}`, {
      title: 'V2',
      prompt_template: 'Hello {{name}}\nBye',
    });
    await server.request('PUT', `/api/prompt-cards/${id}`, {
      title: 'V2',
      prompt_template: 'Hi {{name}} from {{city}}\nBye',
    });
    const list = await server.request('GET', `/api/prompt-cards/${id}/versions`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.body.items as { version: number; variables: string[]; author: null }[]).map((v) => [
        v.version,
        v.variables,
        v.author,
      ]),
      [
        [2, ['name', 'city'], null],
        [1, ['name'], null],
      ],
    );
    const diff = await server.request('GET', `/api/prompt-cards/${id}/versions/1/diff/2`);
    assert.deepEqual(diff.body, {
      from: 1,
      to: 2,
      lines: [
        { op: 'remove', text: 'Hello {{name}}' },
        { op: 'add', text: 'Hi {{name}} from {{city}}' },
        { op: 'keep', text: 'Bye' },
      ],
      exact: true,
      max_edit_lines: 500,
      deadline_ms: 40,
      variables_added: ['city'],
      variables_removed: [],
    });
    assert.equal(
      (await server.request('GET', `/api/prompt-cards/${id}/versions/1/diff/9`)).status,
      422,
    );
    assert.equal((await server.request('GET', `/api/prompt-cards/nope/versions`)).status, 404);
  });

  it('answers a diff of two 100,000-character templates of the same lines reordered, cut past its budget', async () => {
    const unique = (prefix: string): string =>
      Array.from({ length: 20_000 }, (_, i) => `${prefix}${i}`)
        .join('\n')
        .slice(0, 100_000);
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Big',
      prompt_template: unique('line '),
    });
    const id = card.body.id as string;
    const put = await server.request('PUT', `/api/prompt-cards/${id}`, {
      title: 'Big',
      prompt_template: unique('line ').split('\n').reverse().join('\n'),
    });
    assert.equal(put.status, 200, put.text);
    const diff = await server.request('GET', `/api/prompt-cards/${id}/versions/1/diff/2`);
    assert.equal(diff.status, 200, diff.text.slice(0, 500));
    const lines = diff.body.lines as { op: string; text: string }[];
    assert.equal(diff.body.exact, false);
    const side = (drop: string) =>
      lines
        .filter((l) => l.op !== drop)
        .map((l) => l.text)
        .join('\n');
    assert.equal(side('add'), unique('line '));
    assert.equal(side('remove'), unique('line ').split('\n').reverse().join('\n'));
  });

  it('a run resumed after a template edit renders every item with its pinned version', async () => {
    model.latencyMs = 150;
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'P',
      prompt_template: 'Old {{word}}',
    });
    const id = card.body.id as string;
    const rows = Array.from({ length: 10 }, (_, i) => ({
      name: `c${i}`,
      input_variables: { word: `w${i}` },
    }));
    await server.request(
      'POST',
      `/api/prompt-cards/${id}/test-cases/import`,
      JSON.stringify(rows),
      { 'content-type': 'application/json' },
    );
    const created = await server.request('POST', `/api/prompt-cards/${id}/runs`, {
      models: ['openai:alpha'],
      concurrency: 2,
    });
    const runId = created.body.id as string;
    assert.equal(created.body.prompt_version, 1);
    await waitFor('a first result', async () =>
      (await server.request('GET', `/api/runs/${runId}`)).body.progress.completed > 0
        ? true
        : undefined,
    );
    await server.request('POST', `/api/runs/${runId}/cancel`);
    const edited = await server.request('PUT', `/api/prompt-cards/${id}`, {
      title: 'P',
      prompt_template: 'New {{word}}',
    });
    assert.equal(edited.status, 200, edited.text);
    model.latencyMs = 1;
    await server.request('POST', `/api/runs/${runId}/resume`);
    await untilFinished(server, runId);
    const run = (await server.request('GET', `/api/runs/${runId}`)).body;
    assert.equal(run.progress.completed, 10);
    assert.equal(run.prompt_version, 1);
    const results = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
      rendered_prompt: string;
    }[];
    assert.deepEqual(
      results.filter((r) => !r.rendered_prompt.startsWith('Old ')).map((r) => r.rendered_prompt),
      [],
    );
    const next = await server.request('POST', `/api/prompt-cards/${id}/runs`, {
      models: ['openai:alpha'],
    });
    assert.equal(next.body.prompt_version, 2);
    await untilFinished(server, next.body.id as string);
  });
});
