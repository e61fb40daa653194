/**
 * promptfoo's comparative kinds (`select-best`, `max-score`) on the API: a test case using them
 * is accepted and stored as written; a bad value is a 422 with the catalog body naming the
 * field, and nothing is stored.
 */
import { after, before, describe, it } from 'node:test';
import { assertRefusesAssertions, assertStoresAssertions } from '../../support/assertion-api.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const card = {
  title: 'Capitals',
  description: 'Geo',
  prompt_template: 'Capital of {{c}}?',
  tags: [],
};

describe('comparative assertion kinds on the API', () => {
  let server: TestServer;
  let path: string;
  before(async () => {
    server = await startTestServer();
    const created = await server.request('POST', '/api/prompt-cards', card);
    path = `/api/prompt-cards/${created.body.id as string}/test-cases`;
  });
  after(() => server.dispose());

  it('accepts and stores a test case with select-best and max-score', async () => {
    const assertions = [
      { type: 'contains', value: 'Paris' },
      { type: 'select-best', value: 'the most precise answer' },
      { type: 'max-score', value: { method: 'sum', weights: { contains: 2 }, threshold: 0.5 } },
      { type: 'max-score' },
    ];
    await assertStoresAssertions(server, path, { c: 'France' }, assertions);
  });

  it('refuses a bad value with 422 naming the field, storing nothing', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ type: 'max-score', value: { method: 'median' } }, 'assertions.0.value.method'],
      [
        { type: 'max-score', value: { weights: { contains: 'high' } } },
        'assertions.0.value.weights.contains',
      ],
      [{ type: 'max-score', value: { threshold: 'x' } }, 'assertions.0.value.threshold'],
      [{ type: 'max-score', value: { best: true } }, 'assertions.0.value'],
      [{ type: 'max-score', value: 3 }, 'assertions.0.value'],
      [{ type: 'select-best' }, 'assertions.0.value'],
      [{ type: 'select-best', value: 7 }, 'assertions.0.value'],
      [{ type: 'not-select-best', value: 'x' }, 'assertions.0.type'],
      [{ type: 'max-score', threshold: 0.5 }, 'assertions.0.threshold'],
    ];
    await assertRefusesAssertions(server, path, { c: 'France' }, bad);
  });
});
