/**
 * Traces into the real Jaeger v2 (engines/jaeger; memory store, OTLP/HTTP receiver, query API):
 * the service started as in production (`src/main.ts`) exports a run's trace over OTLP, and
 * Jaeger's query API finds it by id with the GenAI attributes; the exemplars on /api/metrics
 * name traces Jaeger has. The loopback OTLP receiver (test/integration/tracing) stays for the
 * checks on the exported bytes (protobuf, resource, span events).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireEngine } from '../../support/engine-cache.js';
import { startJaeger, tag, type Jaeger, type JaegerSpan } from '../../support/jaeger.js';
import { startMain } from '../../support/main-process.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('a run traced into the real Jaeger v2', () => {
  let skip: string | undefined;
  let jaeger: Jaeger;
  let model: WireServer;
  let main: ReturnType<typeof startMain>;
  let url: string;
  const dir = tempDir('pcs-jaeger-app-');
  const traceId = randomBytes(16).toString('hex');
  let runId: string;

  before(
    async () => {
      const engine = await requireEngine('jaeger');
      if (engine.skip !== undefined) {
        skip = engine.skip;
        return;
      }
      jaeger = await startJaeger(engine.dir);
      model = await startWireServer('openai');
      main = startMain(
        {
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
          SEED_SAMPLES: 'false',
          OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          TRACE_FLUSH_INTERVAL_MS: '100',
          OPENAI_BASE_URL: model.url,
          OPENAI_API_KEY: 'sk-test-jaeger',
        },
        dir.path,
      );
      url = await main.url(180_000);
      const card = await request(url, 'POST', '/api/prompt-cards', {
        title: 'Trace me',
        prompt_template: 'Say {{w}}',
      });
      await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
        name: 'one',
        input_variables: { w: 'one' },
        assertions: [{ type: 'contains', value: 'Say' }],
      });
      // The run's trace is the trace of the request that started it: choose its id.
      const run = await request(
        url,
        'POST',
        `/api/prompt-cards/${card.body.id}/runs`,
        { models: ['openai:alpha'] },
        { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      );
      assert.equal(run.status, 202, run.text);
      runId = run.body.id as string;
      await waitFor('the run to finish', async () =>
        (await request(url, 'GET', `/api/runs/${runId}`)).body.status === 'completed'
          ? true
          : undefined,
      );
    },
    { timeout: 300_000 },
  );
  after(async () => {
    if (skip !== undefined) return;
    main.child.kill('SIGTERM');
    await main.exited;
    await model.close();
    await jaeger.dispose();
    dir.remove();
  });

  it("finds the run's trace by id through the query API, with the GenAI attributes", async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const spans = await waitFor(
      'the chat span in Jaeger',
      async () => {
        const found = await jaeger.trace(traceId);
        return found.some((s) => s.operationName === 'chat alpha') ? found : undefined;
      },
      60_000,
    );
    const named = (name: string): JaegerSpan[] => spans.filter((s) => s.operationName === name);
    assert.equal(named('run').length, 1);
    const [chat] = named('chat alpha');
    assert.equal(tag(chat, 'gen_ai.operation.name'), 'chat');
    assert.equal(tag(chat, 'gen_ai.provider.name'), 'openai');
    assert.equal(tag(chat, 'gen_ai.request.model'), 'alpha');
    assert.equal(tag(chat, 'gen_ai.response.model'), 'alpha-2024');
    assert.equal(typeof tag(chat, 'gen_ai.usage.input_tokens'), 'number');
    assert.equal(typeof tag(chat, 'gen_ai.usage.output_tokens'), 'number');
    assert.ok(spans.every((s) => s.traceID === traceId));
    assert.ok(!JSON.stringify(spans).includes('sk-test-jaeger'), 'the API key reached a span');
  });

  it('the exemplars on /api/metrics name traces Jaeger has', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const exposition = (
      await request(url, 'GET', '/api/metrics', undefined, {
        accept: 'application/openmetrics-text; version=1.0.0',
      })
    ).text;
    const exemplars = [
      ...exposition.matchAll(
        /^gen_ai_client_operation_duration_seconds_bucket\{[^}]*\} \d+ # \{trace_id="([0-9a-f]{32})"\}/gm,
      ),
    ].map((m) => m[1] ?? '');
    assert.ok(exemplars.length > 0, 'an exemplar on the GenAI duration histogram');
    assert.ok(exemplars.includes(traceId), "the run's trace is an exemplar");
    for (const id of new Set(exemplars)) {
      await waitFor(
        `trace ${id} in Jaeger`,
        async () => ((await jaeger.trace(id)).length > 0 ? true : undefined),
        60_000,
      );
    }
  });
});
