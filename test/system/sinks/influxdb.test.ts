import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requireInfluxd, rows, startInfluxd, type Influxd } from '../../support/influxd.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const DB = 'pcs';

describe('the InfluxDB sink against a real influxd (1.x, v1 write API)', () => {
  let skip: string | undefined;
  let influx: Influxd;
  let server: TestServer;
  before(async () => {
    skip = await requireInfluxd();
    if (skip !== undefined) return;
    influx = await startInfluxd();
    await influx.query(DB, `CREATE DATABASE ${DB}`);
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '5',
      SIMULATED_LATENCY_JITTER: '0',
      SIMULATED_FAILURE_RATE: '0',
      INFLUXDB_URL: influx.url,
      INFLUXDB_DATABASE: DB,
      INFLUXDB_FLUSH_INTERVAL_MS: '100',
      SINK_RETRY_BASE_DELAY_MS: '50',
      SINK_RETRY_MAX_DELAY_MS: '300',
      ENABLE_ADVANCED_ANALYTICS: 'true',
      ANALYTICS_SAMPLE_INTERVAL_SECONDS: '1',
    });
  });
  after(async () => {
    if (skip !== undefined) return;
    await server.dispose();
    await influx.dispose();
  });

  const runCard = async (cases: number) => {
    // One assertion each, so every answer is judged and the pass rate is a number.
    const cardId = await createCardWithCases(server, cases, [
      { type: 'length', value: { min: 1 } },
    ]);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    await untilFinished(server, run.body.id);
    return { cardId, runId: run.body.id as string };
  };

  it('writes per-result points, per-model run summaries and analytics samples that InfluxQL reads back', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const { cardId, runId } = await runCard(4);
    const results = await waitFor('the result points', async () => {
      const found = rows(
        await influx.query(DB, `SELECT * FROM run_result WHERE run_id = '${runId}'`),
      );
      return found.length >= 4 ? found : undefined;
    });
    const stored = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
      test_case_id: string;
      latency_ms: number;
      score: number;
      output_tokens: number;
    }[];
    for (const result of stored) {
      const point = results.find((p) => p.test_case_id === result.test_case_id);
      assert.ok(point, `a point for ${result.test_case_id}`);
      assert.equal(point.latency_ms, result.latency_ms);
      assert.equal(point.score, result.score);
      assert.equal(point.output_tokens, result.output_tokens);
      assert.equal(point.card, cardId);
      assert.equal(point.model, 'simulated:fast');
      assert.equal(point.prompt_type, 'echo');
      assert.ok(['passed', 'failed', 'error'].includes(point.outcome as string));
    }
    const run = (await server.request('GET', `/api/runs/${runId}`)).body;
    const summary = await waitFor('the summary point', async () => {
      const found = rows(
        await influx.query(DB, `SELECT * FROM run_model_summary WHERE run_id = '${runId}'`),
      );
      return found[0];
    });
    const expected = run.summary[0];
    assert.equal(summary.pass_rate, expected.pass_rate);
    assert.equal(summary.latency_p50_ms, expected.latency_ms.p50);
    assert.equal(summary.latency_p95_ms, expected.latency_ms.p95);
    assert.equal(summary.output_tokens, expected.tokens.output);
    assert.equal(summary.results, 4);
    assert.equal(summary.status, 'completed');
    assert.equal(summary.time, Date.parse(run.finished_at));
    await waitFor('analytics samples', async () => {
      const found = rows(
        await influx.query(DB, `SELECT count(value) FROM analytics_sample GROUP BY "series"`),
      );
      return found.length > 0 ? found : undefined;
    });
  });

  it('writes the points of a card whose tag ends in a backslash, and drops nothing', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const runs: { runId: string; tag: string }[] = [];
    for (const tag of ['tricky\\', 'back\\slash']) {
      const card = await server.request('POST', '/api/prompt-cards', {
        title: `Tag ${tag}`,
        prompt_template: 'Say {{word}}',
        tags: [tag],
      });
      await server.request('POST', `/api/prompt-cards/${card.body.id as string}/test-cases`, {
        name: 'one',
        input_variables: { word: 'hi' },
        assertions: [{ type: 'length', value: { min: 1 } }],
      });
      const run = await server.request('POST', `/api/prompt-cards/${card.body.id as string}/runs`, {
        models: ['simulated:fast'],
      });
      await untilFinished(server, run.body.id as string);
      runs.push({ runId: run.body.id as string, tag });
    }
    for (const { runId, tag } of runs) {
      const points = await waitFor(`the points of the card tagged ${tag}`, async () => {
        const found = rows(
          await influx.query(DB, `SELECT * FROM run_result WHERE run_id = '${runId}'`),
        );
        return found.length >= 1 ? found : undefined;
      });
      assert.equal(points[0]?.prompt_type, tag.replace(/\\+$/, ''));
    }
    const metrics = (await server.request('GET', '/api/metrics')).text;
    assert.doesNotMatch(
      metrics,
      /sink_writes_total\{[^}]*outcome="dropped"[^}]*sink="influxdb"[^}]*\} [1-9]/,
    );
    assert.doesNotMatch(
      metrics,
      /sink_writes_total\{[^}]*sink="influxdb"[^}]*outcome="dropped"[^}]*\} [1-9]/,
    );
  });

  it('with InfluxDB down the run completes, failures are counted, and the buffered points arrive after restart', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    await influx.stop();
    const { runId } = await runCard(3);
    assert.equal((await server.request('GET', `/api/runs/${runId}`)).body.status, 'completed');
    await waitFor('failed writes to be counted', async () =>
      /sink_writes_total\{sink="influxdb",outcome="failed"\} [1-9]/.test(
        (await server.request('GET', '/api/metrics')).text,
      )
        ? true
        : undefined,
    );
    const health = (await server.request('GET', '/health/comprehensive')).body;
    assert.equal(
      (health.checks as { name: string; status: string }[]).find((c) => c.name === 'sink-influxdb')
        ?.status,
      'fail',
    );
    await influx.start();
    const points = await waitFor(
      'the buffered points',
      async () => {
        const found = rows(
          await influx.query(DB, `SELECT * FROM run_result WHERE run_id = '${runId}'`),
        );
        return found.length >= 3 ? found : undefined;
      },
      30_000,
    );
    assert.equal(points.length, 3);
    await waitFor(
      'the buffered summary',
      async () =>
        rows(
          await influx.query(DB, `SELECT * FROM run_model_summary WHERE run_id = '${runId}'`),
        )[0],
    );
  });
});
