/**
 * Every route × every caller under AUTH_MODE=api-key, from one table. The table must list
 * exactly the routes the server serves (checked first), so a new route cannot go untested.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

type Needs = 'public' | 'token' | 'viewer' | 'editor' | 'admin' | 'ingest';
type Caller =
  'anonymous' | 'viewer' | 'editor' | 'admin' | 'ingest' | 'revoked' | 'wrong' | 'no-scheme';

interface Fixtures {
  cardId: string;
  testCaseId: string;
  runId: string;
}

interface Row {
  readonly method: string;
  readonly route: string;
  readonly needs: Needs;
  /** The status once access is granted (same for every caller on public routes). */
  readonly status: number;
  readonly path?: (f: Fixtures) => string;
  readonly body?: unknown;
}

const card = { title: 'Access', prompt_template: 'Say {{word}}', tags: ['access'] };
const missing = '00000000-0000-4000-8000-000000000000';

const ROUTES: readonly Row[] = [
  // An empty OTLP/JSON export: accepted, nothing to store.
  { method: 'POST', route: '/api/v1/traces', needs: 'ingest', status: 200, body: {} },
  {
    method: 'POST',
    route: '/api/prompt-cards/:id/online-rules',
    needs: 'editor',
    status: 201,
    path: (f) => `/api/prompt-cards/${f.cardId}/online-rules`,
    body: { sample_rate: 1 },
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/online-rules',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/online-rules`,
  },
  {
    method: 'DELETE',
    route: '/api/prompt-cards/:id/online-rules/:ruleId',
    needs: 'editor',
    status: 404,
    path: (f) => `/api/prompt-cards/${f.cardId}/online-rules/${missing}`,
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/online-evaluations',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/online-evaluations`,
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/online-evaluations/summary',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/online-evaluations/summary`,
  },
  { method: 'GET', route: '/api/metrics', needs: 'token', status: 401 },
  { method: 'POST', route: '/api/alerts/webhook', needs: 'token', status: 401, body: {} },
  { method: 'GET', route: '/api/prompt-cards', needs: 'viewer', status: 200 },
  { method: 'POST', route: '/api/prompt-cards', needs: 'editor', status: 201, body: card },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}`,
  },
  {
    method: 'PUT',
    route: '/api/prompt-cards/:id',
    needs: 'editor',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}`,
    body: card,
  },
  {
    method: 'DELETE',
    route: '/api/prompt-cards/:id',
    needs: 'editor',
    status: 404,
    path: () => `/api/prompt-cards/${missing}`,
  },
  {
    method: 'POST',
    route: '/api/prompt-cards/:id/test-cases',
    needs: 'editor',
    status: 201,
    path: (f) => `/api/prompt-cards/${f.cardId}/test-cases`,
    body: { name: 'case', input_variables: { word: 'hi' } },
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/test-cases',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/test-cases`,
  },
  {
    method: 'GET',
    route: '/api/test-cases/:id',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/test-cases/${f.testCaseId}`,
  },
  {
    method: 'PUT',
    route: '/api/test-cases/:id',
    needs: 'editor',
    status: 200,
    path: (f) => `/api/test-cases/${f.testCaseId}`,
    body: { name: 'case', input_variables: { word: 'hi' } },
  },
  {
    method: 'DELETE',
    route: '/api/test-cases/:id',
    needs: 'editor',
    status: 404,
    path: () => `/api/test-cases/${missing}`,
  },
  { method: 'GET', route: '/api/keys', needs: 'admin', status: 200 },
  {
    method: 'POST',
    route: '/api/keys',
    needs: 'admin',
    status: 201,
    body: { name: 'made-by-test', role: 'viewer' },
  },
  {
    method: 'DELETE',
    route: '/api/keys/:id',
    needs: 'admin',
    status: 404,
    path: () => '/api/keys/000000000000',
  },
  { method: 'GET', route: '/api/audit', needs: 'admin', status: 200 },
  { method: 'GET', route: '/api/alerts', needs: 'viewer', status: 200 },
  { method: 'GET', route: '/api/alerts/history', needs: 'viewer', status: 200 },
  {
    method: 'POST',
    route: '/api/prompt-cards/:id/runs',
    needs: 'editor',
    status: 202,
    path: (f) => `/api/prompt-cards/${f.cardId}/runs`,
    body: { models: ['simulated:fast'] },
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/runs',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/runs`,
  },
  {
    method: 'GET',
    route: '/api/runs/:id',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/runs/${f.runId}`,
  },
  {
    method: 'GET',
    route: '/api/runs/:id/results',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/runs/${f.runId}/results`,
  },
  {
    method: 'GET',
    route: '/api/runs/:id/results.jsonl',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/runs/${f.runId}/results.jsonl`,
  },
  {
    method: 'GET',
    route: '/api/runs/:id/results.csv',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/runs/${f.runId}/results.csv`,
  },
  {
    method: 'GET',
    route: '/api/runs/:id/compare/:baseline',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/runs/${f.runId}/compare/${f.runId}`,
  },
  {
    method: 'PUT',
    route: '/api/results/:id/rating',
    needs: 'editor',
    status: 404,
    path: () => `/api/results/${missing}/rating`,
    body: { thumb: 'up' },
  },
  {
    method: 'GET',
    route: '/api/results/:id/rating',
    needs: 'viewer',
    status: 404,
    path: () => `/api/results/${missing}/rating`,
  },
  {
    method: 'DELETE',
    route: '/api/results/:id/rating',
    needs: 'editor',
    status: 404,
    path: () => `/api/results/${missing}/rating`,
  },
  {
    method: 'GET',
    route: '/api/runs/:id/ratings',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/runs/${f.runId}/ratings`,
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/agreement',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/agreement`,
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/versions',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/versions`,
  },
  {
    method: 'GET',
    route: '/api/prompt-cards/:id/versions/:from/diff/:to',
    needs: 'viewer',
    status: 200,
    path: (f) => `/api/prompt-cards/${f.cardId}/versions/1/diff/1`,
  },
  {
    method: 'POST',
    route: '/api/prompt-cards/:id/test-cases/import',
    needs: 'editor',
    status: 404,
    path: () => `/api/prompt-cards/${missing}/test-cases/import`,
    body: [],
  },
  {
    method: 'POST',
    route: '/api/runs/:id/cancel',
    needs: 'editor',
    status: 404,
    path: () => `/api/runs/${missing}/cancel`,
  },
  {
    method: 'POST',
    route: '/api/runs/:id/resume',
    needs: 'editor',
    status: 404,
    path: () => `/api/runs/${missing}/resume`,
  },
  { method: 'GET', route: '/api/models', needs: 'viewer', status: 200 },
  { method: 'GET', route: '/api/assertion-types', needs: 'viewer', status: 200 },
  {
    method: 'GET',
    route: '/api/analytics/series',
    needs: 'viewer',
    status: 200,
    path: () => '/api/analytics/series?series=request_rate',
  },
  {
    method: 'GET',
    route: '/api/analytics/forecast',
    needs: 'viewer',
    // Past the gate: too few samples to forecast yet.
    status: 422,
    path: () => '/api/analytics/forecast?series=request_rate',
  },
  { method: 'GET', route: '/api/analytics/anomalies', needs: 'viewer', status: 200 },
  { method: 'GET', route: '/api/analytics/capacity', needs: 'viewer', status: 200 },
  { method: 'GET', route: '/health/comprehensive', needs: 'public', status: 0 },
  {
    method: 'GET',
    route: '/health/:service',
    needs: 'public',
    status: 200,
    path: () => '/health/database',
  },
  { method: 'GET', route: '/ready', needs: 'public', status: 200 },
  { method: 'GET', route: '/live', needs: 'public', status: 200 },
  { method: 'GET', route: '/', needs: 'public', status: 200 },
  { method: 'GET', route: '/index.html', needs: 'public', status: 200 },
  { method: 'GET', route: '/favicon.ico', needs: 'public', status: 200 },
  { method: 'GET', route: '/favicon.svg', needs: 'public', status: 200 },
  {
    method: 'GET',
    route: '/docs/runbooks/:file',
    needs: 'public',
    status: 200,
    path: () => '/docs/runbooks/PromptCardRegressionDetected.md',
  },
  {
    method: 'GET',
    route: '/assets/:file',
    needs: 'public',
    status: 404,
    path: () => '/assets/missing.js',
  },
  { method: 'GET', route: '/api/openapi.json', needs: 'public', status: 200 },
  { method: 'GET', route: '/api/docs', needs: 'public', status: 200 },
  {
    method: 'GET',
    route: '/api/docs/assets/:file',
    needs: 'public',
    status: 200,
    path: () => '/api/docs/assets/swagger-ui.css',
  },
];

const RANK = { viewer: 0, editor: 1, admin: 2 } as const;

/** viewer < editor < admin; `ingest` may only export, which editor and admin may too. */
function allows(caller: 'viewer' | 'editor' | 'admin' | 'ingest', needs: Needs): boolean {
  if (caller === 'ingest') return needs === 'ingest';
  if (needs === 'ingest') return caller !== 'viewer';
  return RANK[caller] >= RANK[needs as keyof typeof RANK];
}

describe('access control (AUTH_MODE=api-key): every route × every caller', () => {
  let server: TestServer;
  const keys = {} as Record<Caller, string | undefined>;
  const fixtures = {} as Fixtures;

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      METRICS_TOKEN: 'scrape-token',
      ALERT_WEBHOOK_TOKEN: 'webhook-token',
      ENABLE_ADVANCED_ANALYTICS: 'true',
      SIMULATED_LATENCY_MS: '0',
      SIMULATED_FAILURE_RATE: '0',
      RATE_LIMIT_WRITES: '0',
    });
    for (const role of ['viewer', 'editor', 'admin', 'ingest'] as const) {
      keys[role] = (await server.running.keys.create(`${role}-key`, role)).key;
    }
    const revoked = await server.running.keys.create('revoked-key', 'admin');
    await server.running.keys.revoke(revoked.apiKey.id);
    keys.revoked = revoked.key;
    keys.wrong = `pcs_${revoked.apiKey.id}_${'0'.repeat(64)}`;
    keys['no-scheme'] = keys.admin;
    keys.anonymous = undefined;

    const asAdmin = { authorization: `Bearer ${keys.admin}` };
    const created = await server.request('POST', '/api/prompt-cards', card, asAdmin);
    fixtures.cardId = created.body.id as string;
    const testCase = await server.request(
      'POST',
      `/api/prompt-cards/${fixtures.cardId}/test-cases`,
      { name: 'case', input_variables: { word: 'hi' } },
      asAdmin,
    );
    fixtures.testCaseId = testCase.body.id as string;
    const run = await server.request(
      'POST',
      `/api/prompt-cards/${fixtures.cardId}/runs`,
      { models: ['simulated:fast'] },
      asAdmin,
    );
    fixtures.runId = run.body.id as string;
  });
  after(async () => server.dispose());

  it('lists every route the server serves, and nothing else', () => {
    const served = server.running.routes.map((r) => `${r.method} ${r.path}`).sort();
    const listed = ROUTES.map((r) => `${r.method} ${r.route}`).sort();
    assert.deepEqual(listed, served);
  });

  for (const caller of [
    'anonymous',
    'viewer',
    'editor',
    'admin',
    'ingest',
    'revoked',
    'wrong',
    'no-scheme',
  ] as const) {
    it(`answers ${caller} with the documented status on every route`, async () => {
      const problems: string[] = [];
      for (const row of ROUTES) {
        const key = keys[caller];
        const headers: Record<string, string> =
          key === undefined
            ? {}
            : { authorization: caller === 'no-scheme' ? key : `Bearer ${key}` };
        if (row.method !== 'GET') headers['content-type'] = 'application/json';
        const path = row.path?.(fixtures) ?? row.route;
        const response = await server.request(row.method, path, row.body, headers);
        let expected: number | string = row.status;
        let code: string | undefined;
        if (row.needs === 'public') {
          if (response.status === 401 || response.status === 403) expected = 'not 401/403';
          else if (row.status === 0) expected = response.status;
        } else if (row.needs !== 'token') {
          if (caller === 'anonymous') [expected, code] = [401, 'PCS_ERR_AUTH_REQUIRED'];
          else if (caller === 'revoked' || caller === 'wrong' || caller === 'no-scheme')
            [expected, code] = [401, 'PCS_ERR_AUTH_INVALID'];
          else if (!allows(caller, row.needs)) [expected, code] = [403, 'PCS_ERR_AUTH_FORBIDDEN'];
        }
        const gotCode = (response.body as { error?: { code?: string } } | undefined)?.error?.code;
        if (response.status !== expected || (code !== undefined && gotCode !== code)) {
          problems.push(
            `${row.method} ${path}: ${response.status} ${gotCode ?? ''}, expected ${expected} ${code ?? ''}`,
          );
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
