/**
 * promptfoo's structured-output assertion kinds on the API: a test case using them is accepted
 * and stored as written; a bad value is a 422 with the catalog body naming the field, and
 * nothing is stored.
 */
import { after, before, describe, it } from 'node:test';
import { assertRefusesAssertions, assertStoresAssertions } from '../../support/assertion-api.js';
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
    await assertStoresAssertions(server, path, { q: 'open orders' }, assertions);
  });

  it('refuses a bad value with 422 naming the field, storing nothing', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ type: 'is-sql', value: { databaseType: 'Oracle' } }, 'assertions.0.value.databaseType'],
      [{ type: 'word-count', value: 'many' }, 'assertions.0.value'],
      [{ type: 'contains-json', value: { type: 'strang' } }, 'assertions.0.value'],
      [{ type: 'tool-call-f1', value: [] }, 'assertions.0.value'],
      [{ type: 'contains-xml', value: 3 }, 'assertions.0.value'],
    ];
    await assertRefusesAssertions(server, path, { q: 'open orders' }, bad);
  });
});
