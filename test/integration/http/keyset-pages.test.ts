/**
 * Every list that can grow pages by key: following `next` (sent back as `after`) a few items at
 * a time reads each item exactly once, in the order of one large page, and ends with `next:
 * null`; a token the API did not issue is a 422 naming `query.after`, never a 500; an offset past
 * the documented bound is a 422 naming `query.offset`. Responses are checked against the
 * OpenAPI document by the test server's request helper. Tokens are signed: a well-formed token
 * forged, tampered with, signed with another key or issued by another list is refused as well.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
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
      PAGE_CURSOR_SECRET: 'page-cursor-test-secret-0123456789',
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
      'online evaluations': () => `/api/prompt-cards/${cardId}/online-evaluations`,
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

  const everyList = [
    'cards',
    'test cases',
    'versions',
    'runs',
    'results',
    'audit',
    'alerts',
    'online evaluations',
  ];
  for (const name of everyList)
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

  // Query numbers are read as plain decimal digits: `Number()` (z.coerce) took 0x10, 1e2, 0b11
  // and '' (as 0), so `?limit=0x10` was a page of 16.
  const notDecimal = ['0x10', '1e2', '0b11', '%2010', '10.0', ''];
  for (const name of everyList)
    it(`${name}: limit and offset in hex, exponent or blank are a 422 naming the field`, async () => {
      const path = lists[name]?.() ?? '';
      const fields = name === 'versions' ? ['limit'] : ['limit', 'offset'];
      for (const field of fields)
        for (const bad of notDecimal) {
          const page = await server.request('GET', `${path}?${field}=${bad}`, undefined, admin);
          assert.equal(page.status, 422, `${name} ${field}=${bad}: ${page.text}`);
          assert.equal(page.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
          assert.deepEqual(
            (page.body.error.fields as { field: string }[]).map((f) => f.field),
            [`query.${field}`],
          );
        }
      const fine = await server.request('GET', `${path}?limit=2`, undefined, admin);
      assert.equal(fine.status, 200, fine.text);
    });

  it('the other query and path numbers are read the same way', async () => {
    const cases: [string, string][] = [
      [`/api/runs/${runId}/compare/${runId}?alpha=1e-1`, 'query.alpha'],
      [`/api/runs/${runId}/compare/${runId}?alpha=0x0`, 'query.alpha'],
      ['/api/analytics/anomalies?limit=0x10', 'query.limit'],
      [`/api/prompt-cards/${cardId}/online-evaluations/summary?buckets=1e1`, 'query.buckets'],
      [`/api/prompt-cards/${cardId}/versions/0x1/diff/2`, 'params.from'],
      [`/api/prompt-cards/${cardId}/versions/1/diff/2e0`, 'params.to'],
    ];
    for (const [path, field] of cases) {
      const answer = await server.request('GET', path, undefined, admin);
      assert.equal(answer.status, 422, `${path}: ${answer.text}`);
      assert.deepEqual(
        (answer.body.error.fields as { field: string }[]).map((f) => f.field),
        [field],
        path,
      );
    }
    const diff = await server.request(
      'GET',
      `/api/prompt-cards/${cardId}/versions/1/diff/2`,
      undefined,
      admin,
    );
    assert.equal(diff.status, 200, diff.text);
  });

  async function refused(name: string, token: string, why: string): Promise<void> {
    const path = lists[name]?.() ?? '';
    const page = await server.request('GET', `${path}?after=${token}`, undefined, admin);
    assert.equal(page.status, 422, `${name}, ${why}: ${page.text}`);
    assert.deepEqual(
      (page.body.error.fields as { field: string }[]).map((f) => f.field),
      ['query.after'],
    );
  }

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  for (const name of ['cards', 'test cases', 'versions', 'runs', 'results', 'audit'])
    it(`${name}: a well-formed but forged, tampered or foreign cursor is a 422 naming query.after`, async () => {
      const path = lists[name]?.() ?? '';
      const first = await server.request('GET', `${path}?limit=1`, undefined, admin);
      const issued = first.body.next as string;
      assert.match(issued, /^[\w-]+\.[\w-]{22}$/);
      const [payload = '', signature = ''] = issued.split('.');
      const key = JSON.parse(Buffer.from(payload, 'base64url').toString()) as (string | number)[];
      // The key of a later item, in the right kinds: accepted with 200 and a wrong page before.
      const moved = key.map((part) => (typeof part === 'number' ? part + 1 : `${part}~`));
      await refused(name, b64(moved), 'an unsigned key of the right kinds');
      await refused(name, payload, 'the issued key without its signature');
      await refused(name, `${b64(moved)}.${signature}`, 'another key under the issued signature');
      const otherKey = createHmac('sha256', 'not-the-secret').update(`x\n${payload}`).digest();
      await refused(
        name,
        `${payload}.${otherKey.subarray(0, 16).toString('base64url')}`,
        'foreign key',
      );
      // The same key issued by another list of the same kinds.
      const other = { cards: 'test cases', audit: 'versions', versions: 'audit' }[name] ?? 'cards';
      await refused(other, issued, `a token of ${name}`);
      const again = await server.request(
        'GET',
        `${path}?limit=1&after=${issued}`,
        undefined,
        admin,
      );
      assert.equal(again.status, 200, again.text);
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
