/**
 * MLflow tracking against a loopback server implementing MLflow's documented REST endpoints
 * (test/support/mlflow-server.ts); MLflow itself does not run here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MlflowClient, RUN_ID_TAG } from '../../../src/sinks/index.js';
import {
  startMlflowServer,
  type MlflowServer,
  type StoredRun,
} from '../../support/mlflow-server.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('finished runs tracked in MLflow (loopback REST server)', () => {
  let mlflow: MlflowServer;
  let server: TestServer;
  before(async () => {
    mlflow = await startMlflowServer();
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '5',
      SIMULATED_LATENCY_JITTER: '0',
      SIMULATED_FAILURE_RATE: '0',
      MLFLOW_TRACKING_URI: mlflow.url,
      SINK_RETRY_BASE_DELAY_MS: '20',
      SINK_RETRY_MAX_DELAY_MS: '100',
    });
  });
  after(async () => {
    await server.dispose();
    await mlflow.close();
  });

  const runCard = async (cardId: string) => {
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast', 'simulated:slow'],
      repeat: 1,
    });
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id);
    return run.body.id as string;
  };
  const trackedRuns = (runId: string): StoredRun[] =>
    [...mlflow.runs.values()].filter((r) => r.tags.get(RUN_ID_TAG) === runId);
  const finished = (runId: string) =>
    waitFor('the MLflow run to finish', () => {
      const found = trackedRuns(runId);
      return found.length === 1 && found[0].info.status === 'FINISHED' ? found[0] : undefined;
    });

  it('writes the run into the card experiment: params, per-model metrics, results.jsonl, FINISHED', async () => {
    const cardId = await createCardWithCases(server, 3);
    const runId = await runCard(cardId);
    const tracked = await finished(runId);
    const experiment = mlflow.experiments.get(tracked.info.experiment_id);
    assert.equal(experiment?.name, `prompt-card/${cardId}`);
    const run = (await server.request('GET', `/api/runs/${runId}`)).body;
    assert.deepEqual(Object.fromEntries(tracked.params), {
      card_id: cardId,
      prompt_type: 'echo',
      models: '["simulated:fast","simulated:slow"]',
      concurrency: String(run.concurrency),
      repeat: '1',
      user_category: 'anonymous',
    });
    const metric = (key: string) => tracked.metrics.find((m) => m.key === key)?.value;
    for (const summary of run.summary as {
      model: string;
      pass_rate: number | null;
      latency_ms: { p50: number | null; p95: number | null };
      tokens: { output: number | null };
    }[]) {
      // An unknown value (null: e.g. no judged result, no reported tokens) is not logged.
      const prefix = summary.model.replace(':', '/');
      assert.equal(metric(`${prefix}/pass_rate`), summary.pass_rate ?? undefined);
      assert.equal(metric(`${prefix}/latency_p50_ms`), summary.latency_ms.p50 ?? undefined);
      assert.equal(metric(`${prefix}/latency_p95_ms`), summary.latency_ms.p95 ?? undefined);
      assert.equal(metric(`${prefix}/output_tokens`), summary.tokens.output ?? undefined);
    }
    assert.equal(tracked.tags.get('pcs.status'), 'completed');
    assert.equal(tracked.info.end_time, Date.parse(run.finished_at));
    const lines = (tracked.artifacts.get('results.jsonl') ?? '').trim().split('\n');
    assert.equal(lines.length, 6);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    const results = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
      id: string;
    }[];
    assert.deepEqual(ids, new Set(results.map((r) => r.id)));
  });

  it('is idempotent per run id: exporting a run again updates the same MLflow run; one experiment per card', async () => {
    const cardId = await createCardWithCases(server, 2);
    const first = await runCard(cardId);
    await finished(first);
    const run = (await server.request('GET', `/api/runs/${first}`)).body;
    server.running.mlflow!.enqueue(run, 'echo');
    await server.running.mlflow!.drain();
    assert.equal(trackedRuns(first).length, 1, 'no second MLflow run for the same run id');
    const second = await runCard(cardId);
    await finished(second);
    const experiments = [...mlflow.experiments.values()].filter(
      (e) => e.name === `prompt-card/${cardId}`,
    );
    assert.equal(experiments.length, 1);
    assert.equal(trackedRuns(second)[0].info.experiment_id, experiments[0].experiment_id);
  });

  it('retries while MLflow answers 503 and counts the failed attempts', async () => {
    const cardId = await createCardWithCases(server, 1);
    mlflow.failNext = 3;
    const runId = await runCard(cardId);
    await finished(runId);
    const text = (await server.request('GET', '/api/metrics')).text;
    assert.match(text, /sink_writes_total\{sink="mlflow",outcome="failed"\} [1-9]/);
    assert.match(text, /sink_writes_total\{sink="mlflow",outcome="sent"\} [1-9]/);
  });

  it('two instances creating the same experiment end with one (RESOURCE_ALREADY_EXISTS tolerated)', async () => {
    const a = new MlflowClient(mlflow.url, undefined);
    const b = new MlflowClient(mlflow.url, undefined);
    const creates = () =>
      mlflow.calls.filter((c) => c === 'POST /api/2.0/mlflow/experiments/create').length;
    const before = creates();
    const [x, y] = await Promise.all([a.experimentId('shared'), b.experimentId('shared')]);
    assert.equal(x, y);
    assert.equal(creates() - before, 2, 'both tried to create it; one was told it exists');
    assert.equal([...mlflow.experiments.values()].filter((e) => e.name === 'shared').length, 1);
  });
});
