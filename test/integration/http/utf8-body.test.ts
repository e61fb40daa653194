/**
 * Text bodies must be valid UTF-8: a JSON create, a CSV import and an OTLP JSON export with a
 * byte that is not UTF-8 are refused with 400, and nothing is stored (the decoder used to turn
 * each bad byte into U+FFFD and answer 201).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const BAD = Buffer.from([0xff, 0xfe]);

describe('bodies that are not UTF-8', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({});
  });
  after(() => server.dispose());

  const post = (path: string, type: string, body: Buffer) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(body),
    });

  it('refuses a JSON create and stores nothing', async () => {
    const before = await server.request('GET', '/api/prompt-cards?limit=100');
    const body = Buffer.concat([
      Buffer.from('{"title":"'),
      BAD,
      Buffer.from('","prompt_template":"x"}'),
    ]);
    const res = await post('/api/prompt-cards', 'application/json', body);
    assert.equal(res.status, 400);
    const answer = ((await res.json()) as { error: { code: string; fields: { field: string }[] } })
      .error;
    assert.equal(answer.code, 'PCS_ERR_HTTP_MALFORMED_JSON');
    assert.deepEqual(
      answer.fields.map((f) => f.field),
      ['body'],
    );
    const later = await server.request('GET', '/api/prompt-cards?limit=100');
    assert.equal(later.body.items.length, before.body.items.length);
  });

  it('refuses a CSV import', async () => {
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'utf8',
      prompt_template: 'Say {{w}}',
    });
    const body = Buffer.concat([Buffer.from('name,w\none,'), BAD, Buffer.from('\n')]);
    const res = await post(`/api/prompt-cards/${card.body.id}/test-cases/import`, 'text/csv', body);
    assert.equal(res.status, 400, await res.clone().text());
    const cases = await server.request('GET', `/api/prompt-cards/${card.body.id}/test-cases`);
    assert.equal(cases.body.total, 0);
  });

  it('refuses an OTLP JSON export', async () => {
    const body = Buffer.concat([Buffer.from('{"resourceSpans":[{"x":"'), BAD, Buffer.from('"}]}')]);
    const res = await post('/api/v1/traces', 'application/json', body);
    assert.equal(res.status, 400, await res.clone().text());
  });
});
