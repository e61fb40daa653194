/**
 * GET /api/runs/:id/compare/:baseline on the real server: verdict changes, McNemar's p-value,
 * the regression alert through the alert store, and prompt_card_regressions_total.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { waitFor } from '../../support/run-helpers.js';

describe('run comparison API', () => {
  let server: TestServer;
  let cardId: string;
  let caseIds: string[];

  before(async () => {
    server = await startTestServer({ SIMULATED_LATENCY_MS: '1', SIMULATED_FAILURE_RATE: '0' });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Echo',
      prompt_template: 'Say {{word}}',
    });
    cardId = card.body.id as string;
    const rows = Array.from({ length: 12 }, (_, i) => ({
      name: `c${i}`,
      input_variables: { word: `w${i}` },
      assertions: [{ type: 'length', value: { min: 1 } }],
    }));
    const imported = await server.request(
      'POST',
      `/api/prompt-cards/${cardId}/test-cases/import`,
      JSON.stringify(rows),
      { 'content-type': 'application/json' },
    );
    assert.equal(imported.status, 201, imported.text);
    const list = await server.request('GET', `/api/prompt-cards/${cardId}/test-cases?limit=100`);
    caseIds = (list.body.items as { id: string }[]).map((t) => t.id);
  });
  after(() => server.dispose());

  async function run(): Promise<string> {
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
      concurrency: 4,
    });
    assert.equal(created.status, 202, created.text);
    await waitFor('the run to finish', async () => {
      const r = await server.request('GET', `/api/runs/${created.body.id}`);
      return r.body.status === 'completed' ? r : undefined;
    });
    return created.body.id as string;
  }

  it('finds the regression, raises the alert, counts it, and resolves it on a clean comparison', async () => {
    const baseline = await run();
    // Every case now demands a word the answers never contain: 12 broken, 0 fixed.
    for (const [i, id] of caseIds.entries()) {
      const updated = await server.request('PUT', `/api/test-cases/${id}`, {
        name: `c${i}`,
        input_variables: { word: `w${i}` },
        assertions: [{ type: 'contains', value: 'never-in-the-answer' }],
      });
      assert.equal(updated.status, 200, updated.text);
    }
    const candidate = await run();
    const res = await server.request('GET', `/api/runs/${candidate}/compare/${baseline}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.verdict, 'regression');
    const [model] = res.body.models;
    assert.equal(model.model, 'simulated:fast');
    assert.deepEqual(model.counts, {
      fixed: 0,
      broken: 12,
      still_failing: 0,
      still_passing: 0,
      new: 0,
      removed: 0,
    });
    // n = 12 discordant pairs, k = 0: p = 2 · C(12,0) / 2^12 = 2/4096.
    assert.equal(model.p_value, 2 / 4096);
    assert.equal(model.pass_rate_delta, -1);
    assert.equal(res.body.cases.length, 12);
    assert.ok(
      (res.body.cases as { change: string; score_delta: number }[]).every(
        (c) => c.change === 'broken' && c.score_delta === -1,
      ),
    );

    const alerts = await server.request('GET', '/api/alerts');
    const fired = (
      alerts.body.items as { name?: string; labels?: Record<string, string> }[]
    ).filter((a) => (a.name ?? a.labels?.alertname) === 'PromptCardRegressionDetected');
    assert.equal(fired.length, 1, alerts.text);
    const metrics = await server.request('GET', '/api/metrics');
    assert.match(
      metrics.text,
      new RegExp(`prompt_card_regressions_total\\{card="${cardId}",model="simulated:fast"\\} 1`),
    );

    // Comparing again while it fires keeps the one episode: no second firing event.
    const regressionEvents = async () =>
      (
        (await server.request('GET', '/api/alerts/history?limit=100')).body.items as {
          name: string;
          status: string;
        }[]
      )
        .filter((e) => e.name === 'PromptCardRegressionDetected')
        .map((e) => e.status);
    const again = await server.request('GET', `/api/runs/${candidate}/compare/${baseline}`);
    assert.equal(again.body.verdict, 'regression');
    assert.deepEqual(await regressionEvents(), ['firing']);

    // At α = 0.0001 the same runs are not significant (p ≈ 0.00049); a clean comparison resolves.
    const strict = await server.request(
      'GET',
      `/api/runs/${candidate}/compare/${baseline}?alpha=0.0001`,
    );
    assert.equal(strict.body.verdict, 'no_significant_change');
    const after = await server.request('GET', '/api/alerts');
    assert.equal(
      (after.body.items as { name?: string; labels?: Record<string, string> }[]).filter(
        (a) => (a.name ?? a.labels?.alertname) === 'PromptCardRegressionDetected',
      ).length,
      0,
    );
    assert.deepEqual((await regressionEvents()).sort(), ['firing', 'resolved']);
  });

  it('answers 404 for an unknown run and 422 for a bad alpha', async () => {
    assert.equal((await server.request('GET', '/api/runs/nope/compare/nope')).status, 404);
    const r = await server.request('GET', '/api/runs/a/compare/b?alpha=2');
    assert.equal(r.status, 422);
    assert.equal(r.body.error.fields[0].field, 'query.alpha');
  });
});
