/**
 * Every list that can grow pages by key: following `next` (sent back as `after`) a few items at
 * a time reads each item exactly once, in the order of one large page, and ends with `next:
 * null`; a token the API did not issue is a 422 naming `query.after`, never a 500; an offset past
 * the documented bound is a 422 naming `query.offset`. Responses are checked against the
 * OpenAPI document by the test server's request helper.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCardWithCases, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('keyset pages over the API', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  let cardId: string;
  let runId: string;
  const lists: Record<string, () => string> = {};

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      SIMULATED_LATENCY_MS: '0',
      SIMULATED_LATENCY_JITTER: '0',
    });
    admin = { authorization: `Bearer ${(await server.running.keys.create('root', 'admin')).key}` };
    const req = (method: string, path: string, body?: unknown) =>
      server.request(method, path, body, admin);
    const asAdmin: TestServer = { ...server, request: req };
    cardId = await createCardWithCases(asAdmin, 7);
    await createCardWithCases(asAdmin, 0);
    await createCardWithCases(asAdmin, 0);
    for (const word of ['one', 'two', 'three'])
      await req('PUT', `/api/prompt-cards/${cardId}`, {
        title: 'Echo',
        prompt_template: `Repeat ${word}: {{word}}`,
      });
    for (let i = 0; i < 3; i++) {
      const run = await req('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['simulated:fast'],
        repeat: 3,
      });
      assert.equal(run.status, 202, run.text);
      runId = run.body.id as string;
      const id = runId;
      await waitFor('the run to finish', async () => {
        const status = (await req('GET', `/api/runs/${id}`)).body.status as string;
        return status === 'queued' || status === 'running' ? undefined : status;
      });
    }
    Object.assign(lists, {
      cards: () => '/api/prompt-cards',
      'test cases': () => `/api/prompt-cards/${cardId}/test-cases`,
      versions: () => `/api/prompt-cards/${cardId}/versions`,
      runs: () => `/api/prompt-cards/${cardId}/runs`,
      results: () => `/api/runs/${runId}/results`,
      audit: () => '/api/audit',
      alerts: () => '/api/alerts/history',
    });
  });
  after(async () => server.dispose());

  const key = (item: { id?: string; version?: number; seq?: number }) =>
    String(item.id ?? item.version ?? item.seq);

  async function walk(path: string, limit: number): Promise<string[]> {
    const seen: string[] = [];
    let token: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const query: string = token === null ? '' : `&after=${token}`;
      const page = await server.request('GET', `${path}?limit=${limit}${query}`, undefined, admin);
      assert.equal(page.status, 200, page.text);
      seen.push(...(page.body.items as { id?: string }[]).map(key));
      token = page.body.next as string | null;
      if (token === null) return seen;
    }
    throw new Error(`${path}: next never became null`);
  }

  for (const name of ['cards', 'test cases', 'versions', 'runs', 'results', 'audit'])
    it(`${name}: following next reads each item once, in order, to next: null`, async () => {
      const path = lists[name]?.() ?? '';
      const whole = await server.request('GET', `${path}?limit=100`, undefined, admin);
      const expected = (whole.body.items as { id?: string }[]).map(key);
      assert.ok(expected.length >= 3, `${name}: ${expected.length} items`);
      assert.equal(whole.body.next, null);
      assert.deepEqual(await walk(path, 2), expected);
      assert.deepEqual(await walk(path, expected.length), expected);
    });

  for (const name of ['cards', 'test cases', 'versions', 'runs', 'results', 'audit', 'alerts'])
    it(`${name}: a cursor the API did not issue is a 422 naming query.after`, async () => {
      const path = lists[name]?.() ?? '';
      for (const bad of ['%21%21', 'bm90LWpzb24', 'WzEsMiwzXQ', 'W10', 'eyJhIjoxfQ']) {
        const page = await server.request('GET', `${path}?after=${bad}`, undefined, admin);
        assert.equal(page.status, 422, `${name} ${bad}: ${page.text}`);
        assert.equal(page.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
        assert.deepEqual(
          (page.body.error.fields as { field: string }[]).map((f) => f.field),
          ['query.after'],
        );
      }
    });

  for (const name of ['cards', 'test cases', 'runs', 'results', 'audit', 'alerts'])
    it(`${name}: an offset past 10,000 is a 422 naming query.offset`, async () => {
      const path = lists[name]?.() ?? '';
      const page = await server.request('GET', `${path}?offset=10001`, undefined, admin);
      assert.equal(page.status, 422, page.text);
      assert.deepEqual(
        (page.body.error.fields as { field: string }[]).map((f) => f.field),
        ['query.offset'],
      );
    });
});
