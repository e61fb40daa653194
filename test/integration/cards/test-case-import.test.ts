/**
 * Bulk import (JSON array, JSONL, CSV; all rows or none; errors naming row and field) and the
 * streamed results export (JSONL, CSV) on the real server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { waitFor } from '../../support/run-helpers.js';

describe('test-case import and results export', () => {
  let server: TestServer;
  let cardId: string;

  before(async () => {
    server = await startTestServer({ SIMULATED_LATENCY_MS: '1', SIMULATED_FAILURE_RATE: '0' });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Echo',
      prompt_template: 'Repeat after me: {{word}}',
    });
    cardId = card.body.id as string;
  });
  after(() => server.dispose());

  const post = (body: string, type: string) =>
    server.request('POST', `/api/prompt-cards/${cardId}/test-cases/import`, body, {
      'content-type': type,
    });
  const count = async () =>
    (await server.request('GET', `/api/prompt-cards/${cardId}`)).body.test_case_count as number;

  it('imports 10,000 CSV rows in one request, with __expected shorthand', async () => {
    const lines = ['name,word,__expected'];
    for (let i = 0; i < 10_000; i++) lines.push(`case ${i},w${i},"icontains: W${i}"`);
    const res = await post(lines.join('\n'), 'text/csv');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body, { imported: 10_000 });
    assert.equal(await count(), 10_000);
    const page = await server.request('GET', `/api/prompt-cards/${cardId}/test-cases?limit=1`);
    assert.deepEqual(page.body.items[0].assertions, [
      { type: 'icontains', value: page.body.items[0].input_variables.word.toUpperCase() },
    ]);
  });

  it("reads the web UI's export: var:<name> columns are the variables", async () => {
    const before = await count();
    const res = await post(
      'name,var:word,expected_output,assertions\nexported,hi,,"[{""type"":""contains"",""value"":""h""}]"\n',
      'text/csv',
    );
    assert.equal(res.status, 201, res.text);
    assert.equal(await count(), before + 1);
    const all = await server.request(
      'GET',
      `/api/prompt-cards/${cardId}/test-cases?limit=1&offset=${before}`,
    );
    assert.deepEqual(all.body.items[0].input_variables, { word: 'hi' });
    assert.equal(all.body.items[0].name, 'exported');
  });

  it('refuses a CSV header that names a column twice with 422 naming both columns, and writes nothing', async () => {
    const before = await count();
    for (const [header, name, first, second] of [
      ['name,word,word', 'word', 2, 3],
      ['word,name,var:word', 'var:word', 1, 3],
      ['name,word,name', 'name', 1, 3],
    ] as const) {
      const res = await post(`${header}\na,b,c\n`, 'text/csv');
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
      assert.deepEqual(res.body.error.fields, [
        {
          field: 'columns',
          message: `column "${name}" appears twice (columns ${first} and ${second}); rename or remove one`,
        },
      ]);
    }
    assert.equal(await count(), before);
  });

  it('fills {{name}} from a CSV column "name" (as promptfoo), and keeps it as the case name', async () => {
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Greeter',
      prompt_template: 'Hello {{name}}',
    });
    const url = `/api/prompt-cards/${card.body.id as string}/test-cases`;
    const res = await server.request(
      'POST',
      `${url}/import`,
      'name,__expected\nWorld,contains: World\n',
      {
        'content-type': 'text/csv',
      },
    );
    assert.equal(res.status, 201, res.text);
    const list = await server.request('GET', url);
    assert.equal(list.body.items[0].name, 'World');
    assert.deepEqual(list.body.items[0].input_variables, { name: 'World' });
    // A var:name column gives the variable; name stays the case's name only.
    const both = await server.request('POST', `${url}/import`, 'name,var:name\ncase 2,Ada\n', {
      'content-type': 'text/csv',
    });
    assert.equal(both.status, 201, both.text);
    const again = await server.request('GET', `${url}?offset=1`);
    assert.equal(again.body.items[0].name, 'case 2');
    assert.deepEqual(again.body.items[0].input_variables, { name: 'Ada' });
  });

  it('refuses the whole import when a row is bad, naming row and field, and writes nothing', async () => {
    const before = await count();
    const jsonl = [
      JSON.stringify({ name: 'ok', input_variables: { word: 'a' } }),
      JSON.stringify({ name: 'no word', input_variables: {} }),
      '',
      JSON.stringify({
        name: 'bad kind',
        input_variables: { word: 'b' },
        assertions: [{ type: 'python' }],
      }),
    ].join('\n');
    const res = await post(jsonl, 'application/x-ndjson');
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
    const fields = (res.body.error.fields as { field: string }[]).map((f) => f.field);
    assert.deepEqual(fields, ['rows.2.input_variables.word', 'rows.4.assertions.0.type']);
    assert.equal(await count(), before);

    const json = await post(
      JSON.stringify([{ name: 'x', input_variables: { word: 1 }, extra: true }]),
      'application/json',
    );
    assert.equal(json.status, 422);
    assert.equal(json.body.error.fields[0].field, 'rows.1');
    assert.equal((await post('name\n', 'text/csv')).status, 422);
    assert.equal((await post('x', 'text/plain')).status, 415);
    assert.equal(
      (
        await server.request('POST', '/api/prompt-cards/nope/test-cases/import', '[]', {
          'content-type': 'application/json',
        })
      ).status,
      404,
    );
  });

  it('writes the audit trail for bulk writes: one record per import or sync, one per test case a sync deletes', async () => {
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Synced',
      prompt_template: 'Say {{word}}',
    });
    const id = card.body.id as string;
    const path = `/api/prompt-cards/${id}/test-cases/import`;
    const rows = (names: string[]) =>
      names.map((name) => JSON.stringify({ name, input_variables: { word: name } })).join('\n');
    const jsonl = { 'content-type': 'application/x-ndjson' };
    const imported = await server.request('POST', path, rows(['a', 'b', 'c', 'd', 'e']), jsonl);
    assert.equal(imported.status, 201, imported.text);
    const listed = await server.request('GET', `/api/prompt-cards/${id}/test-cases?limit=100`);
    const idsByName = new Map(
      (listed.body.items as { id: string; name: string }[]).map((tc) => [tc.name, tc.id]),
    );
    const synced = await server.request('POST', `${path}?mode=sync`, rows(['a']), jsonl);
    assert.deepEqual(synced.body, { created: 0, updated: 0, deleted: 4, unchanged: 1 });
    const trail = await server.request('GET', '/api/audit?limit=500');
    assert.equal(trail.status, 200, trail.text);
    const records = trail.body.items as { action: string; target_id: string }[];
    const deleted = records.filter((r) => r.action === 'test_case.deleted').map((r) => r.target_id);
    assert.deepEqual(
      deleted.sort(),
      ['b', 'c', 'd', 'e'].map((name) => idsByName.get(name)).sort(),
    );
    assert.ok(records.some((r) => r.action === 'test_case.imported' && r.target_id === id));
    assert.ok(records.some((r) => r.action === 'test_case.synced' && r.target_id === id));
  });

  it('streams every result of a run as JSONL and CSV', async () => {
    const small = await server.request('POST', '/api/prompt-cards', {
      title: 'S',
      prompt_template: 'Say {{word}}',
    });
    const id = small.body.id as string;
    const imported = await server.request(
      'POST',
      `/api/prompt-cards/${id}/test-cases/import`,
      JSON.stringify(
        Array.from({ length: 600 }, (_, i) => ({
          name: `c${i}`,
          input_variables: { word: `w${i}` },
        })),
      ),
      { 'content-type': 'application/json' },
    );
    assert.equal(imported.status, 201, imported.text);
    const run = await server.request('POST', `/api/prompt-cards/${id}/runs`, {
      models: ['simulated:fast'],
      concurrency: 50,
    });
    assert.equal(run.status, 202, run.text);
    await waitFor('the run to finish', async () => {
      const r = await server.request('GET', `/api/runs/${run.body.id}`);
      return r.body.status === 'completed' ? r : undefined;
    });
    const jsonl = await fetch(`${server.url}/api/runs/${run.body.id}/results.jsonl`);
    assert.equal(jsonl.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
    const lines = (await jsonl.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; test_case_id: string });
    assert.equal(lines.length, 600);
    assert.equal(new Set(lines.map((l) => l.id)).size, 600);
    const csv = parseCsv<Record<string, string>>(
      await (await fetch(`${server.url}/api/runs/${run.body.id}/results.csv`)).text(),
      { columns: true },
    );
    assert.equal(csv.length, 600);
    assert.deepEqual(new Set(csv.map((r) => r.id)), new Set(lines.map((l) => l.id)));
    assert.equal((await server.request('GET', '/api/runs/nope/results.csv')).status, 404);
  });
});
