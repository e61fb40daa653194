/**
 * promptfoo's structured-output assertion kinds on the API: a test case using them is accepted
 * and stored as written; a bad value is a 422 with the catalog body naming the field, and
 * nothing is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const card = { title: 'Orders', description: 'SQL', prompt_template: 'Query for {{q}}', tags: [] };

const assertions = [
  { type: 'contains-json', value: { type: 'object', required: ['id'] } },
  { type: 'is-xml', value: { requiredElements: ['order.id'] } },
  { type: 'not-contains-xml' },
  {
    type: 'is-sql',
    value: { databaseType: 'PostgreSQL', allowedTables: ['select::null::orders'] },
  },
  { type: 'contains-sql' },
  { type: 'is-html' },
  { type: 'word-count', value: { min: 1, max: 80 } },
  { type: 'tool-call-f1', value: ['search', 'book'], threshold: 0.5 },
];

describe('structured-output assertion kinds on the API', () => {
  let server: TestServer;
  let path: string;
  before(async () => {
    server = await startTestServer();
    const created = await server.request('POST', '/api/prompt-cards', card);
    path = `/api/prompt-cards/${created.body.id as string}/test-cases`;
  });
  after(() => server.dispose());

  it('accepts and stores a test case using every new kind', async () => {
    const res = await server.request('POST', path, {
      name: 'orders',
      input_variables: { q: 'open orders' },
      assertions,
    });
    assert.equal(res.status, 201, res.text);
    const stored = await server.request('GET', `/api/test-cases/${res.body.id as string}`);
    assert.deepEqual(
      (stored.body.assertions as { type: string }[]).map((a) => a.type),
      assertions.map((a) => a.type),
    );
  });

  it('refuses a bad value with 422 naming the field, storing nothing', async () => {
    const before = await server.request('GET', path);
    const bad: [Record<string, unknown>, string][] = [
      [{ type: 'is-sql', value: { databaseType: 'Oracle' } }, 'assertions.0.value.databaseType'],
      [{ type: 'word-count', value: 'many' }, 'assertions.0.value'],
      [{ type: 'contains-json', value: { type: 'strang' } }, 'assertions.0.value'],
      [{ type: 'tool-call-f1', value: [] }, 'assertions.0.value'],
      [{ type: 'contains-xml', value: 3 }, 'assertions.0.value'],
    ];
    for (const [assertion, field] of bad) {
      const res = await server.request('POST', path, {
        name: 'bad',
        input_variables: { q: 'x' },
        assertions: [assertion],
      });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
      const fields = (res.body.error.fields as { field: string }[]).map((f) => f.field);
      assert.ok(fields.includes(field), `${JSON.stringify(assertion)}: ${fields.join()}`);
    }
    assert.deepEqual((await server.request('GET', path)).body, before.body);
  });
});
