/**
 * Finished runs tracked in the real MLflow tracking server (engines/mlflow, `mlflow server` with
 * a SQLite store and the artifact proxy), read back through MLflow's REST API: the experiment,
 * the run, its params, metrics, tags and the results.jsonl artifact, and a server restart while
 * a run finishes. The loopback REST server (test/integration/sinks/mlflow-tracker.test.ts) stays
 * for what the real one cannot be made to do on demand: answer 503 for a given number of calls.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RUN_ID_TAG } from '../../../src/sinks/index.js';
import { requireEngine } from '../../support/engine-cache.js';
import {
  startMlflowTrackingServer,
  type MlflowTrackingServer,
} from '../../support/mlflow-tracking-server.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

interface MlflowRun {
  info: {
    run_id: string;
    experiment_id: string;
    status: string;
    artifact_uri: string;
    end_time?: number;
  };
  data: {
    params?: { key: string; value: string }[];
    metrics?: { key: string; value: number }[];
    tags?: { key: string; value: string }[];
  };
}

// A Python server on a busy two-core machine: starting it can take a minute or more.
const slow = { timeout: 600_000 };

describe('finished runs tracked in the real MLflow tracking server', () => {
  let skip: string | undefined;
  let mlflow: MlflowTrackingServer;
  let server: TestServer;
  before(
    async () => {
      const engine = await requireEngine('mlflow');
      if (engine.skip !== undefined) {
        skip = engine.skip;
        return;
      }
      mlflow = await startMlflowTrackingServer(engine.dir);
      server = await startTestServer({
        SIMULATED_LATENCY_MS: '5',
        SIMULATED_LATENCY_JITTER: '0',
        SIMULATED_FAILURE_RATE: '0',
        MLFLOW_TRACKING_URI: mlflow.url,
        MLFLOW_MAX_ATTEMPTS: '100',
        SINK_RETRY_BASE_DELAY_MS: '100',
        SINK_RETRY_MAX_DELAY_MS: '3000',
      });
    },
    { timeout: 600_000 },
  );
  after(async () => {
    if (skip !== undefined) return;
    await server.dispose();
    await mlflow.dispose();
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

  /** The MLflow run tagged with the run id, once FINISHED, found through runs/search. */
  const trackedRun = (cardId: string, runId: string, timeoutMs = 60_000) =>
    waitFor(
      'the MLflow run to finish',
      async () => {
        const experiment = await mlflow
          .api<{ experiment: { experiment_id: string; name: string } }>(
            'GET',
            'experiments/get-by-name',
            { experiment_name: `prompt-card/${cardId}` },
          )
          .catch(() => undefined);
        if (experiment === undefined) return undefined;
        const found = await mlflow.api<{ runs?: MlflowRun[] }>('POST', 'runs/search', {
          experiment_ids: [experiment.experiment.experiment_id],
          filter: `tags.\`${RUN_ID_TAG}\` = '${runId}'`,
        });
        const runs = found.runs ?? [];
        return runs.length === 1 && runs[0].info.status === 'FINISHED'
          ? { experiment: experiment.experiment, run: runs[0] }
          : undefined;
      },
      timeoutMs,
    );

  const pairs = (list: { key: string; value: string }[] | undefined) =>
    Object.fromEntries((list ?? []).map((p) => [p.key, p.value]));

  it(
    'the experiment, run, params, metrics, tags and results.jsonl read back through the REST API',
    slow,
    async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const cardId = await createCardWithCases(server, 3);
      const runId = await runCard(cardId);
      const { experiment, run: tracked } = await trackedRun(cardId, runId);
      assert.equal(experiment.name, `prompt-card/${cardId}`);
      const run = (await server.request('GET', `/api/runs/${runId}`)).body;
      assert.deepEqual(pairs(tracked.data.params), {
        card_id: cardId,
        prompt_type: 'echo',
        models: '["simulated:fast","simulated:slow"]',
        concurrency: String(run.concurrency),
        repeat: '1',
        user_category: 'anonymous',
      });
      // runs/search gives the latest value of each metric.
      const metric = (key: string) => tracked.data.metrics?.find((m) => m.key === key)?.value;
      for (const summary of run.summary as {
        model: string;
        pass_rate: number | null;
        latency_ms: { p50: number | null; p95: number | null };
        tokens: { output: number | null };
      }[]) {
        const prefix = summary.model.replace(':', '/');
        assert.equal(metric(`${prefix}/pass_rate`), summary.pass_rate ?? undefined);
        assert.equal(metric(`${prefix}/latency_p50_ms`), summary.latency_ms.p50 ?? undefined);
        assert.equal(metric(`${prefix}/latency_p95_ms`), summary.latency_ms.p95 ?? undefined);
        assert.equal(metric(`${prefix}/output_tokens`), summary.tokens.output ?? undefined);
      }
      const tags = pairs(tracked.data.tags);
      assert.equal(tags['pcs.status'], 'completed');
      assert.equal(tags[RUN_ID_TAG], runId);
      assert.equal(tracked.info.end_time, Date.parse(run.finished_at));
      // The artifact, through the server's proxy (artifact_uri is mlflow-artifacts:/<path>).
      assert.match(tracked.info.artifact_uri, /^mlflow-artifacts:\//);
      const path = tracked.info.artifact_uri.replace(/^mlflow-artifacts:\/+/, '');
      const lines = (await mlflow.artifact(`${path}/results.jsonl`)).trim().split('\n');
      assert.equal(lines.length, 6);
      const results = (await server.request('GET', `/api/runs/${runId}/results`)).body.items as {
        id: string;
      }[];
      assert.deepEqual(
        new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)),
        new Set(results.map((r) => r.id)),
      );
    },
  );

  it(
    'a tracking server restart while runs finish: each run arrives once, after the restart',
    slow,
    async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const cardId = await createCardWithCases(server, 2);
      await mlflow.stop();
      const during = await runCard(cardId);
      await mlflow.start();
      const { run: tracked } = await trackedRun(cardId, during, 300_000);
      assert.equal(pairs(tracked.data.tags)['pcs.status'], 'completed');
      assert.match(
        (await server.request('GET', '/api/metrics')).text,
        /sink_writes_total\{sink="mlflow",outcome="failed"\} [1-9]/,
        'the attempts during the outage were counted as failed',
      );
      // Idempotent per run id: exporting the same run again updates it, no second MLflow run.
      const run = (await server.request('GET', `/api/runs/${during}`)).body;
      server.running.mlflow!.enqueue(run, 'echo');
      await server.running.mlflow!.drain();
      const experiment = await mlflow.api<{ experiment: { experiment_id: string } }>(
        'GET',
        'experiments/get-by-name',
        { experiment_name: `prompt-card/${cardId}` },
      );
      const all = await mlflow.api<{ runs?: MlflowRun[] }>('POST', 'runs/search', {
        experiment_ids: [experiment.experiment.experiment_id],
      });
      assert.equal(all.runs?.length, 1);
    },
  );
});
