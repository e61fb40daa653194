/**
 * Every change of state the service makes through its API lands in the audit trail, with who
 * did it and in which role; GET /api/audit pages and filters it; the chain verifies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyAuditTrail } from '../../../src/audit/index.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { waitFor } from '../../support/run-helpers.js';

const SECRET = 'audit-api-secret-123456';

describe('audit trail over the API', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  let editor: Record<string, string>;

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      AUDIT_SECRET: SECRET,
      SIMULATED_LATENCY_MS: '30000',
      SIMULATED_LATENCY_JITTER: '0',
    });
    admin = { authorization: `Bearer ${(await server.running.keys.create('root', 'admin')).key}` };
    editor = { authorization: `Bearer ${(await server.running.keys.create('ci', 'editor')).key}` };
  });
  after(async () => server.dispose());

  it('records every change with actor, role, action and target, and verifies', async () => {
    const req = (method: string, path: string, body?: unknown, who = editor) =>
      server.request(method, path, body, who);
    const card = await req('POST', '/api/prompt-cards', {
      title: 'A',
      prompt_template: 'Say {{w}}',
    });
    await req('PUT', `/api/prompt-cards/${card.body.id}`, {
      title: 'B',
      prompt_template: 'Say {{w}}',
    });
    const tc = await req('POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
      name: 'c',
      input_variables: { w: 'hi' },
    });
    await req('PUT', `/api/test-cases/${tc.body.id}`, { name: 'd', input_variables: { w: 'yo' } });
    const run = await req('POST', `/api/prompt-cards/${card.body.id}/runs`, {
      models: ['simulated:slow'],
    });
    assert.equal(run.status, 202, run.text);
    assert.equal((await req('POST', `/api/runs/${run.body.id}/cancel`)).status, 200);
    await waitFor('cancelled', async () => {
      const got = await req('GET', `/api/runs/${run.body.id}`);
      return got.body.status === 'cancelled' ? true : undefined;
    });
    assert.equal((await req('POST', `/api/runs/${run.body.id}/resume`)).status, 202);
    await req('POST', `/api/runs/${run.body.id}/cancel`);
    const key = await req('POST', '/api/keys', { name: 'dash', role: 'viewer' }, admin);
    await req('DELETE', `/api/keys/${key.body.id}`, undefined, admin);
    await req('POST', '/api/alerts/webhook', {
      version: '4',
      groupKey: '{}:{alertname="X"}',
      status: 'firing',
      receiver: 'app',
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://am',
      truncatedAlerts: 0,
      alerts: [
        {
          status: 'firing',
          labels: { alertname: 'X', severity: 'warning' },
          annotations: {},
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://prom',
          fingerprint: 'fp1',
        },
      ],
    });
    await req('DELETE', `/api/test-cases/${tc.body.id}`);
    await req('DELETE', `/api/prompt-cards/${card.body.id}`);

    const trail = await server.request('GET', '/api/audit?limit=500', undefined, admin);
    assert.equal(trail.status, 200, trail.text);
    assert.equal(trail.body.signed, true);
    const actions = (trail.body.items as { action: string; actor: string; role: string }[])
      .map((r) => `${r.action} ${r.actor} ${r.role}`)
      .reverse();
    assert.deepEqual(actions, [
      'config.loaded system system',
      'card.created ci editor',
      'card.updated ci editor',
      'test_case.created ci editor',
      'test_case.updated ci editor',
      'run.started ci editor',
      'run.cancelled ci editor',
      'run.resumed ci editor',
      'run.cancelled ci editor',
      'api_key.created root admin',
      'api_key.revoked root admin',
      'alert.received alertmanager token',
      'test_case.deleted ci editor',
      'card.deleted ci editor',
    ]);
    assert.ok(trail.body.items.every((r: { signed: boolean }) => r.signed));
    const report = await verifyAuditTrail(server.running.database.db, {
      current: SECRET,
      previous: undefined,
    });
    assert.equal(report.ok, true, report.problem?.message);
  });

  it('pages and filters, newest first, and refuses bad filters naming them', async () => {
    const page = await server.request('GET', '/api/audit?limit=2&offset=1', undefined, admin);
    assert.equal(page.body.items.length, 2);
    assert.equal(page.body.total, 14);
    assert.ok(page.body.items[0].seq > page.body.items[1].seq);
    const runs = await server.request('GET', '/api/audit?action=run.cancelled', undefined, admin);
    assert.equal(runs.body.total, 2);
    const byActor = await server.request('GET', '/api/audit?actor=root', undefined, admin);
    assert.equal(byActor.body.total, 2);
    const future = await server.request(
      'GET',
      `/api/audit?since=${new Date(Date.now() + 60_000).toISOString()}`,
      undefined,
      admin,
    );
    assert.equal(future.body.total, 0);
    const bad = await server.request('GET', '/api/audit?since=yesterday&limit=0', undefined, admin);
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.fields.map((f: { field: string }) => f.field).sort(), [
      'query.limit',
      'query.since',
    ]);
  });
});
