/**
 * promptfoo's comparative kinds (`select-best`, `max-score`) on the API: a test case using them
 * is accepted and stored as written; a bad value is a 422 with the catalog body naming the
 * field, and nothing is stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
    const res = await server.request('POST', path, {
      name: 'france',
      input_variables: { c: 'France' },
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
    for (const [assertion, field] of bad) {
      const res = await server.request('POST', path, {
        name: 'bad',
        input_variables: { c: 'x' },
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
