/**
 * A provider that echoes the configured key (as OpenAI's 401 does: "Incorrect API key provided:
 * sk-…") must not get it stored, served, published or exported. Against the loopback
 * OpenAI-wire server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ModelClient, OpenAiProvider, ProviderError } from '../../../src/providers/index.js';
import { createRedactor } from '../../../src/util/redact-secrets.js';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config.js';
import { startServer } from '../../../src/server.js';
import { createLogger } from '../../../src/telemetry/logging/index.js';
import { createCardWithCases, waitFor, watchRun } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request, startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const SECRET = 'sk-live-planted-9f8e7d6c5b4a';
const OTHER_TOKEN = 'sk-proj-notoursbutsecret123';
const ECHO = JSON.stringify({
  error: {
    message: `Incorrect API key provided: ${SECRET}. Header was Bearer ${SECRET}; also ${OTHER_TOKEN}`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
});

describe('provider text never carries secrets', () => {
  let wire: WireServer;
  let server: TestServer;
  before(async () => {
    wire = await startWireServer('openai');
    server = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      OPENAI_API_KEY: SECRET,
      PROVIDER_MAX_RETRIES: '0',
      HEALTH_CACHE_TTL_MS: '0',
    });
  });
  after(async () => {
    await server.dispose();
    await wire.close();
  });

  it('keeps the key out of stored results, the results API and WebSocket events', async () => {
    const cardId = await createCardWithCases(server, 1);
    wire.faults.push({ kind: 'status', status: 401, body: ECHO });
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['openai:alpha'],
    });
    assert.equal(run.status, 202, run.text);
    const watcher = await watchRun(server, run.body.id as string);
    const events = await watcher.finished;
    watcher.close();
    const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
    assert.equal(results.body.items.length, 1);
    const error = results.body.items[0].error;
    assert.equal(error.type, 'auth');
    assert.match(error.message, /Incorrect API key provided: \[redacted\]/);
    for (const text of [results.text, JSON.stringify(events), error.message as string]) {
      assert.ok(!text.includes(SECRET), 'configured key leaked');
      assert.ok(!text.includes(OTHER_TOKEN), 'sk- token leaked');
    }
  });

  it('answers /api/models and /health/comprehensive with a classified summary', async () => {
    wire.listFaults.push({ kind: 'status', status: 401, body: ECHO });
    const models = await server.request('GET', '/api/models');
    const openai = models.body.providers.find((p: { provider: string }) => p.provider === 'openai');
    assert.equal(openai.error.kind, 'auth');
    assert.match(openai.error.message, /HTTP 401/);
    assert.ok(!models.text.includes(SECRET));
    assert.ok(!models.text.includes('Incorrect API key'), 'the raw provider text is served');

    wire.listFaults.push({ kind: 'status', status: 401, body: ECHO });
    const health = await server.request('GET', '/health/comprehensive');
    assert.ok(health.text.includes('provider:openai'), health.text);
    assert.ok(!health.text.includes(SECRET));
    assert.ok(!health.text.includes('Incorrect API key'), 'the raw provider text is served');
  });

  it('exports no key in span status messages', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    trace.setGlobalTracerProvider(provider);
    try {
      const client = new ModelClient([new OpenAiProvider(wire.url, SECRET)], {
        timeoutMs: 5000,
        maxRetries: 0,
        prices: {},
        embeddingModel: 'openai:alpha',
        graderModel: 'openai:alpha',
        redact: createRedactor([SECRET]),
      });
      wire.faults.push({ kind: 'status', status: 401, body: ECHO });
      await assert.rejects(
        client.chat('openai:alpha', [{ role: 'user', content: 'hi' }], AbortSignal.timeout(5000)),
        (error: unknown) => error instanceof ProviderError && !error.message.includes(SECRET),
      );
      const spans = exporter.getFinishedSpans();
      assert.ok(spans.length > 0);
      for (const span of spans) {
        assert.ok(!JSON.stringify(span.status).includes(SECRET), 'span status leaked');
        assert.ok(!JSON.stringify(span.events).includes(SECRET), 'span events leaked');
      }
    } finally {
      trace.disable();
      await provider.shutdown();
    }
  });

  it('writes no key to the log, at debug level, whatever the provider answers', async () => {
    const lines: string[] = [];
    const dir = tempDir();
    const logged = await startServer(
      parseConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dir.path, 'log.db')}`,
        SEED_SAMPLES: 'false',
        OPENAI_BASE_URL: wire.url,
        OPENAI_API_KEY: SECRET,
        PROVIDER_MAX_RETRIES: '2',
        PROVIDER_RETRY_BASE_DELAY_MS: '1',
        HEALTH_CACHE_TTL_MS: '0',
      }),
      {
        logger: createLogger({
          level: 'debug',
          destination: { write: (line: string) => void lines.push(line) },
        }),
      },
    );
    try {
      const call = (method: string, path: string, body?: unknown) =>
        request(logged.url, method, path, body);
      const cardId = await createCardWithCases({ ...server, url: logged.url, request: call }, 1);
      for (const status of [503, 503, 401])
        wire.faults.push({ kind: 'status', status, body: ECHO });
      wire.listFaults.push({ kind: 'status', status: 401, body: ECHO });
      wire.listFaults.push({ kind: 'status', status: 401, body: ECHO });
      const run = await call('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
      });
      await waitFor('the run to finish', async () =>
        (await call('GET', `/api/runs/${run.body.id}`)).body.status === 'completed'
          ? true
          : undefined,
      );
      await call('GET', '/health/comprehensive');
      assert.ok(lines.length > 0);
      assert.ok(
        lines.some((l) => l.includes('retrying model call')),
        'the retries were logged',
      );
      for (const line of lines) {
        assert.ok(!line.includes(SECRET), `log line leaked the key: ${line}`);
        assert.ok(!line.includes(OTHER_TOKEN), `log line leaked a token: ${line}`);
      }
    } finally {
      await logged.close();
      dir.remove();
    }
  });

  it('redacts a key the model itself echoes in its answer', async () => {
    wire.answer = () => `my key is ${SECRET}`;
    try {
      const cardId = await createCardWithCases(server, 1);
      const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
      });
      const watcher = await watchRun(server, run.body.id as string);
      await watcher.finished;
      watcher.close();
      const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
      assert.equal(results.body.items[0].output, 'my key is [redacted]');
    } finally {
      wire.answer = (prompt) => `echo: ${prompt}`;
    }
  });
});
