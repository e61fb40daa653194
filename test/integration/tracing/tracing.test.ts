import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { parseExposition } from '../../support/exposition.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '../../support/otlp-receiver.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const SECRET = 'sk-planted-secret-4711';
const SERVER = 2;
const CLIENT = 3;

interface App {
  url: string;
  stop(): Promise<number | null>;
  stdout(): string;
  dir: { path: string; remove(): void };
}

async function startApp(env: Record<string, string>): Promise<App> {
  const dir = tempDir();
  const main = startMain(
    {
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'info',
      ...env,
    },
    dir.path,
  );
  const url = await main.url();
  return {
    url,
    dir,
    stdout: () => main.output().stdout,
    stop: async () => {
      main.child.kill('SIGTERM');
      const code = await main.exited;
      dir.remove();
      return code;
    },
  };
}

/** Creates a card with two test cases and runs it against openai:alpha; returns ids. */
async function runOnce(url: string): Promise<{ cardId: string; runId: string }> {
  const card = await request(url, 'POST', '/api/prompt-cards', {
    title: 'Trace me',
    prompt_template: 'Say {{w}}',
    tags: ['tracing'],
  });
  for (const w of ['one', 'two']) {
    await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
      name: w,
      input_variables: { w },
      assertions: [{ type: 'contains', value: 'Say' }],
    });
  }
  const run = await request(url, 'POST', `/api/prompt-cards/${card.body.id}/runs`, {
    models: ['openai:alpha'],
  });
  await waitFor('the run to finish', async () =>
    (await request(url, 'GET', `/api/runs/${run.body.id}`)).body.status === 'completed'
      ? true
      : undefined,
  );
  return { cardId: card.body.id as string, runId: run.body.id as string };
}

const byName = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

describe('tracing over OTLP/HTTP (protobuf) for one run', () => {
  let receiver: OtlpReceiver;
  let model: WireServer;
  let app: App;
  let spans: ReceivedSpan[];
  let exposition: string;

  before(async () => {
    receiver = await startOtlpReceiver();
    model = await startWireServer('openai');
    app = await startApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_RESOURCE_ATTRIBUTES: 'team=quality',
      TRACE_FLUSH_INTERVAL_MS: '100',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: SECRET,
    });
    await runOnce(app.url);
    await waitFor('the chat spans', () =>
      byName(receiver.spans, 'chat alpha').length >= 2 && byName(receiver.spans, 'run').length === 1
        ? true
        : undefined,
    );
    exposition = (
      await request(app.url, 'GET', '/api/metrics', undefined, {
        accept: 'application/openmetrics-text; version=1.0.0',
      })
    ).text;
    // The last requests' spans (the run's final poll) may still sit in the batch when the
    // scrape is taken: wait until every exemplar's trace has arrived (or time out and fail).
    const exemplarTraces = [...exposition.matchAll(/# \{trace_id="([0-9a-f]{32})"\}/g)].map(
      (m) => m[1],
    );
    await waitFor(
      'the exemplar traces',
      () => {
        const exported = new Set(receiver.spans.map((s) => s.traceId));
        return exemplarTraces.every((id) => exported.has(id ?? '')) ? true : undefined;
      },
      5000,
    ).catch(() => undefined);
    spans = receiver.spans;
  });
  after(async () => {
    await app.stop();
    await model.close();
    await receiver.close();
  });

  it('sends protobuf with the service resource', () => {
    assert.ok(receiver.requests.every((r) => r.contentType === 'application/x-protobuf'));
    const resource = spans[0]?.resource ?? {};
    assert.equal(resource['service.name'], 'prompt-card-backend');
    assert.equal(resource['service.version'], '0.1.0');
    assert.equal(resource['deployment.environment.name'], 'development');
    assert.equal(resource.team, 'quality');
  });

  it('connects HTTP server span → run → test cases → GenAI client spans → HTTP client span', () => {
    const [server] = spans.filter(
      (s) => s.kind === SERVER && s.name === 'POST /api/prompt-cards/:id/runs',
    );
    assert.ok(
      server !== undefined,
      `no server span among ${[...new Set(spans.map((s) => s.name))].join(', ')}`,
    );
    assert.equal(server.attributes['http.route'], '/api/prompt-cards/:id/runs');
    const [run] = byName(spans, 'run');
    assert.equal(run?.parentSpanId, server.spanId);
    assert.equal(run?.traceId, server.traceId);
    const testCases = byName(spans, 'test_case').filter((s) => s.parentSpanId === run?.spanId);
    assert.equal(testCases.length, 2);
    for (const testCase of testCases) {
      const evaluation = testCase.events.find((e) => e.name === 'gen_ai.evaluation.result');
      assert.equal(evaluation?.attributes['gen_ai.evaluation.name'], 'contains');
      assert.equal(evaluation?.attributes['gen_ai.evaluation.score.value'], 1);
      assert.equal(evaluation?.attributes['gen_ai.evaluation.score.label'], 'pass');
      const [chat] = spans.filter(
        (s) => s.name === 'chat alpha' && s.parentSpanId === testCase.spanId,
      );
      assert.ok(chat !== undefined);
      assert.equal(chat.kind, CLIENT);
      assert.equal(chat.attributes['gen_ai.operation.name'], 'chat');
      assert.equal(chat.attributes['gen_ai.provider.name'], 'openai');
      assert.equal(chat.attributes['gen_ai.request.model'], 'alpha');
      assert.equal(chat.attributes['gen_ai.response.model'], 'alpha-2024');
      assert.equal(typeof chat.attributes['gen_ai.usage.input_tokens'], 'number');
      assert.equal(typeof chat.attributes['gen_ai.usage.output_tokens'], 'number');
      assert.deepEqual(chat.attributes['gen_ai.response.finish_reasons'], ['stop']);
      assert.equal(
        chat.attributes['gen_ai.input.messages'],
        undefined,
        'message content recorded without opt-in',
      );
      const [http] = spans.filter((s) => s.parentSpanId === chat.spanId && s.kind === CLIENT);
      assert.ok(http !== undefined, 'no HTTP client span under the chat span');
    }
  });

  it('propagates W3C traceparent to the model server, parented by the exported HTTP client span', () => {
    const chatRequests = model.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.equal(chatRequests.length, 2);
    for (const req of chatRequests) {
      const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(req.headers.traceparent));
      assert.ok(match !== null, `bad traceparent ${String(req.headers.traceparent)}`);
      const parent = spans.find((s) => s.spanId === match[2]);
      assert.ok(parent !== undefined, 'the traceparent parent is not an exported span');
      assert.equal(parent.traceId, match[1]);
      assert.equal(spans.find((s) => s.spanId === parent.parentSpanId)?.name, 'chat alpha');
    }
  });

  it('shows database work as spans', () => {
    const db = spans.filter((s) => s.attributes['db.system.name'] === 'sqlite');
    assert.ok(
      db.some((s) => s.name === 'INSERT run_results'),
      [...new Set(db.map((s) => s.name))].join(', '),
    );
    for (const span of db) assert.doesNotMatch(String(span.attributes['db.query.text']), /Say one/);
  });

  it('writes log lines that carry the trace id of their request, and never the planted secret', () => {
    const lines = app
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [server] = spans.filter(
      (s) => s.kind === SERVER && s.name === 'POST /api/prompt-cards/:id/runs',
    );
    const access = lines.find(
      (l) => (l.http as { route?: string } | undefined)?.route === '/api/prompt-cards/:id/runs',
    );
    assert.equal(access?.trace_id, server?.traceId);
    assert.equal(access?.span_id, server?.spanId);
    assert.equal(typeof access?.duration_ms, 'number');
    assert.ok(!app.stdout().includes(SECRET), 'the API key reached a log line');
  });

  it('puts exemplars on the duration histograms that point at exported traces', () => {
    const traceIds = new Set(spans.map((s) => s.traceId));
    const exemplars = [
      ...exposition.matchAll(/^(\w+)_bucket\{[^}]*\} \d+ # \{trace_id="([0-9a-f]{32})"\}/gm),
    ];
    const metrics = new Set(exemplars.map((m) => m[1]));
    assert.ok(metrics.has('http_request_duration_seconds'));
    assert.ok(metrics.has('gen_ai_client_operation_duration_seconds'));
    for (const m of exemplars)
      assert.ok(traceIds.has(m[2] ?? ''), `exemplar trace ${m[2]} was not exported`);
    assert.doesNotThrow(() => parseExposition(exposition));
  });
});

describe('tracing settings', () => {
  let model: WireServer;
  before(async () => {
    model = await startWireServer('openai');
  });
  after(() => model.close());

  it('exports nothing at sample rate 0', async () => {
    const receiver = await startOtlpReceiver();
    const app = await startApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      TRACE_SAMPLE_RATE: '0',
      TRACE_FLUSH_INTERVAL_MS: '50',
      OPENAI_BASE_URL: model.url,
    });
    try {
      await runOnce(app.url);
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(receiver.spans.length, 0);
      assert.ok(model.requests.length > 0);
    } finally {
      await app.stop();
      await receiver.close();
    }
  });

  it('speaks http/json, and a graceful shutdown delivers spans still in the batch', async () => {
    const receiver = await startOtlpReceiver();
    const app = await startApp({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      TRACE_FLUSH_INTERVAL_MS: '600000',
      OPENAI_BASE_URL: model.url,
    });
    await runOnce(app.url);
    assert.equal(receiver.spans.length, 0, 'spans left before the flush interval');
    assert.equal(await app.stop(), 0);
    assert.ok(
      receiver.requests.length > 0 &&
        receiver.requests.every((r) => r.contentType.startsWith('application/json')),
    );
    assert.equal(byName(receiver.spans, 'run').length, 1);
    assert.equal(byName(receiver.spans, 'chat alpha').length, 2);
    await receiver.close();
  });

  it('writes ECS lines with the trace id, and records message content only when asked', async () => {
    const receiver = await startOtlpReceiver();
    const app = await startApp({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      TRACE_FLUSH_INTERVAL_MS: '50',
      LOG_FORMAT: 'ecs',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: SECRET,
    });
    try {
      await runOnce(app.url);
      await waitFor('chat spans', () =>
        byName(receiver.spans, 'chat alpha').length >= 2 ? true : undefined,
      );
      const [chat] = byName(receiver.spans, 'chat alpha');
      assert.match(String(chat?.attributes['gen_ai.input.messages']), /Say one|Say two/);
      assert.match(String(chat?.attributes['gen_ai.output.messages']), /echo: Say/);
      const lines = app
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(lines.length > 0);
      for (const line of lines) {
        assert.equal(typeof line['@timestamp'], 'string');
        assert.equal(typeof line['log.level'], 'string');
        assert.equal(typeof line.message, 'string');
        assert.equal(typeof line['ecs.version'], 'string');
      }
      const access = lines.find(
        (l) => (l.http as { route?: string } | undefined)?.route === '/api/prompt-cards/:id/runs',
      );
      assert.match(String(access?.['trace.id']), /^[0-9a-f]{32}$/);
      assert.ok(receiver.spans.some((s) => s.traceId === access?.['trace.id']));
      assert.ok(!app.stdout().includes(SECRET));
    } finally {
      await app.stop();
      await receiver.close();
    }
  });
});
