/**
 * Log shipping into the real Elasticsearch (engines/elasticsearch): the service started as in
 * production (`src/main.ts`, LOG_FORMAT=ecs) writes ECS JSON lines on stdout; the shipper
 * (pino-elasticsearch from engines/pino-elasticsearch, reading stdin like a pipe in production)
 * bulk-indexes them; the test finds a run's lines by `trace.id`, and that trace in the real
 * Jaeger the service exports to. A line carries `trace.id` only inside a recorded span, and spans
 * are recorded only while tracing exports somewhere (OTEL_EXPORTER_OTLP_ENDPOINT): without an
 * exporter there is no trace for a log line to point at.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireEngine, spawnEngine, type EngineProcess } from '../../support/engine-cache.js';
import { startElasticsearch, type Elasticsearch } from '../../support/elasticsearch.js';
import { startJaeger, type Jaeger } from '../../support/jaeger.js';
import { startMain } from '../../support/main-process.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';

const INDEX = 'pcs-logs';

describe("a run's ECS log lines shipped into the real Elasticsearch", () => {
  let skip: string | undefined;
  let es: Elasticsearch;
  let jaeger: Jaeger;
  let shipper: EngineProcess;
  let main: ReturnType<typeof startMain>;
  let url: string;
  const dir = tempDir('pcs-es-app-');
  const traceId = randomBytes(16).toString('hex');

  before(
    async () => {
      const engine = await requireEngine('elasticsearch');
      const shipperEngine = await requireEngine('pino-elasticsearch');
      const jaegerEngine = await requireEngine('jaeger');
      if (
        engine.skip !== undefined ||
        shipperEngine.skip !== undefined ||
        jaegerEngine.skip !== undefined
      ) {
        skip = engine.skip ?? shipperEngine.skip ?? jaegerEngine.skip;
        return;
      }
      jaeger = await startJaeger(jaegerEngine.dir);
      es = await startElasticsearch(engine.dir);
      shipper = spawnEngine(
        process.execPath,
        [
          join(shipperEngine.dir, 'node_modules', 'pino-elasticsearch', 'cli.js'),
          '--node',
          es.url,
          '--index',
          INDEX,
          '--flush-bytes',
          '1',
          '--flush-interval',
          '200',
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      main = startMain(
        {
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
          SEED_SAMPLES: 'false',
          LOG_FORMAT: 'ecs',
          LOG_LEVEL: 'info',
          SIMULATED_LATENCY_MS: '5',
          OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.otlpUrl,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        },
        dir.path,
      );
      main.child.stdout.pipe(shipper.child.stdin!);
      url = await main.url(180_000);
    },
    { timeout: 600_000 },
  );
  after(async () => {
    if (skip !== undefined) return;
    main.child.kill('SIGTERM');
    await main.exited;
    shipper.child.stdin?.end();
    await shipper.stop();
    await es.dispose();
    await jaeger.dispose();
    dir.remove();
  });

  it("finds the run's lines by trace.id", { timeout: 300_000 }, async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const card = await request(url, 'POST', '/api/prompt-cards', {
      title: 'Logged',
      prompt_template: 'Say {{w}}',
    });
    await request(url, 'POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
      name: 'one',
      input_variables: { w: 'one' },
    });
    const run = await request(
      url,
      'POST',
      `/api/prompt-cards/${card.body.id}/runs`,
      { models: ['simulated:fast'] },
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    assert.equal(run.status, 202, run.text);
    const lines = await waitFor(
      'the run request in Elasticsearch',
      async () => {
        const hits = await es.search(INDEX, { match: { 'trace.id': traceId } });
        return hits.length > 0 ? hits : undefined;
      },
      120_000,
    );
    for (const line of lines) {
      const trace = (line.trace as { id?: string } | undefined)?.id ?? line['trace.id'];
      assert.equal(trace, traceId);
      assert.ok('ecs.version' in line || 'ecs' in line, `an ECS line: ${JSON.stringify(line)}`);
    }
    const requestLine = lines.find(
      (line) =>
        (line.http as { route?: string } | undefined)?.route === '/api/prompt-cards/:id/runs',
    );
    assert.ok(requestLine, `the request line of the run: ${JSON.stringify(lines)}`);
    assert.deepEqual(requestLine.http, {
      method: 'POST',
      route: '/api/prompt-cards/:id/runs',
      status_code: 202,
    });
    const spans = await waitFor(
      'the same trace in Jaeger',
      async () => {
        const found = await jaeger.trace(traceId);
        return found.length > 0 ? found : undefined;
      },
      60_000,
    );
    assert.ok(spans.every((span) => span.traceID === traceId));
  });
});
