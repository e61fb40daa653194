/**
 * Ratings over the API on the real server (SQLite): a person's thumb and comment on a result,
 * replaced on rating again, the judge's agreement per card and model (route and the
 * prompt_judge_human_agreement_ratio gauge), field errors, 404s, and the audit trail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('result ratings API', () => {
  let server: TestServer;
  let cardId = '';
  let runId = '';
  let passedId = '';
  let failedId = '';

  before(async () => {
    server = await startTestServer({ SIMULATED_LATENCY_MS: '1', SIMULATED_FAILURE_RATE: '0' });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Rated',
      prompt_template: 'Say {{word}}',
    });
    cardId = card.body.id as string;
    for (const [name, assertion] of [
      ['passes', { type: 'length', value: { min: 1 } }],
      ['fails', { type: 'contains', value: 'never-in-the-answer' }],
    ] as const) {
      const created = await server.request('POST', `/api/prompt-cards/${cardId}/test-cases`, {
        name,
        input_variables: { word: name },
        assertions: [assertion],
      });
      assert.equal(created.status, 201, created.text);
    }
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    runId = run.body.id as string;
    await waitFor('the run to finish', async () => {
      const r = await server.request('GET', `/api/runs/${runId}`);
      return r.body.status === 'completed' ? true : undefined;
    });
    const results = await server.request('GET', `/api/runs/${runId}/results`);
    const items = results.body.items as { id: string; passed: boolean }[];
    passedId = items.find((r) => r.passed)!.id;
    failedId = items.find((r) => !r.passed)!.id;
  });
  after(() => server.dispose());

  const agreement = async () =>
    (await server.request('GET', `/api/prompt-cards/${cardId}/agreement`)).body.items as {
      model: string;
      ratings: number;
      judged_ratings: number;
      agreements: number;
      agreement_ratio: number | null;
    }[];

  const gauge = async (): Promise<string | undefined> => {
    const text = (await server.request('GET', '/api/metrics')).text;
    return text
      .split('\n')
      .find((l) => l.startsWith('prompt_judge_human_agreement_ratio{') && l.includes(cardId));
  };

  it('stores a rating, says whether the judge agrees, and replaces it on rating again', async () => {
    const up = await server.request('PUT', `/api/results/${passedId}/rating`, {
      thumb: 'up',
      comment: 'clear and short',
    });
    assert.equal(up.status, 200, up.text);
    assert.equal(up.body.thumb, 'up');
    assert.equal(up.body.comment, 'clear and short');
    assert.equal(up.body.run_id, runId);
    assert.equal(up.body.judge_agrees, true);
    assert.deepEqual(await agreement(), [
      {
        card_id: cardId,
        model: 'simulated:fast',
        ratings: 1,
        judged_ratings: 1,
        agreements: 1,
        agreement_ratio: 1,
      },
    ]);
    assert.match((await gauge()) ?? '', /model="simulated:fast"\} 1$/);

    // The failed answer rated good: the judge disagrees; agreement falls to one in two.
    const down = await server.request('PUT', `/api/results/${failedId}/rating`, { thumb: 'up' });
    assert.equal(down.body.judge_agrees, false);
    assert.equal(down.body.comment, '');
    assert.equal((await agreement())[0]?.agreement_ratio, 0.5);
    assert.match((await gauge()) ?? '', /\} 0\.5$/);

    // Rating again replaces: one rating per result.
    const again = await server.request('PUT', `/api/results/${failedId}/rating`, {
      thumb: 'down',
      comment: 'wrong word',
    });
    assert.equal(again.body.judge_agrees, true);
    const listed = await server.request('GET', `/api/runs/${runId}/ratings`);
    assert.equal(listed.body.items.length, 2);
    assert.equal(
      (await server.request('GET', `/api/results/${failedId}/rating`)).body.thumb,
      'down',
    );
    assert.equal((await agreement())[0]?.agreement_ratio, 1);
  });

  it('removes a rating; the agreement and the gauge follow', async () => {
    assert.equal((await server.request('DELETE', `/api/results/${failedId}/rating`)).status, 204);
    assert.equal((await server.request('GET', `/api/results/${failedId}/rating`)).status, 404);
    assert.equal((await agreement())[0]?.ratings, 1);
    assert.equal((await server.request('DELETE', `/api/results/${failedId}/rating`)).status, 404);
  });

  it('refuses a bad thumb and an over-long comment with 422 naming the field, an unknown result with 404', async () => {
    const bad = await server.request('PUT', `/api/results/${passedId}/rating`, { thumb: 'meh' });
    assert.equal(bad.status, 422);
    assert.deepEqual(
      (bad.body.error.fields as { field: string }[]).map((f) => f.field),
      ['thumb'],
    );
    const long = await server.request('PUT', `/api/results/${passedId}/rating`, {
      thumb: 'up',
      comment: 'x'.repeat(2001),
    });
    assert.equal(long.status, 422);
    assert.equal(long.body.error.fields[0].field, 'comment');
    const missing = await server.request('PUT', '/api/results/nope/rating', { thumb: 'up' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'PCS_ERR_RESULT_NOT_FOUND');
    // Nothing was stored by the refused requests.
    assert.equal((await server.request('GET', `/api/results/${passedId}/rating`)).body.thumb, 'up');
  });

  it('records ratings in the audit trail', async () => {
    const trail = await server.request('GET', '/api/audit?action=result.rated&limit=50');
    assert.equal(trail.status, 200, trail.text);
    const targets = (trail.body.items as { target_id: string }[]).map((r) => r.target_id);
    assert.ok(targets.includes(passedId));
    assert.ok(targets.includes(failedId));
    const removed = await server.request('GET', '/api/audit?action=result.rating_removed');
    assert.equal(removed.body.items.length, 1);
  });
});
