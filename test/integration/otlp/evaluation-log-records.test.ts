/**
 * Online verdicts leave the service as OpenTelemetry log records: the real service process
 * (src/main.ts, tracing on, OTLP/HTTP JSON) judges an ingested span and exports one
 * `gen_ai.evaluation.result` record per assertion, carrying the evaluated span's trace and span
 * id. The records are received by a loopback OTLP/HTTP server (a real OpenTelemetry Collector
 * is not installed here, and Jaeger receives no logs); it decodes what the SDK really sent.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { request } from '../../support/test-server.js';

interface AnyValue {
  stringValue?: string;
  doubleValue?: number;
  intValue?: number | string;
}
interface LogRecord {
  eventName?: string;
  traceId?: string;
  spanId?: string;
  attributes?: { key: string; value: AnyValue }[];
}

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

describe('gen_ai.evaluation.result log records', () => {
  const dir = tempDir('pcs-eval-logs-');
  const records: LogRecord[] = [];
  let collector: Server;
  let main: ReturnType<typeof startMain>;
  let base = '';

  before(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/logs') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            resourceLogs: { scopeLogs: { logRecords: LogRecord[] }[] }[];
          };
          for (const r of body.resourceLogs)
            for (const s of r.scopeLogs) records.push(...s.logRecords);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    main = startMain(
      {
        PORT: '0',
        DATABASE_URL: `sqlite:${dir.path}/db.sqlite`,
        SEED_SAMPLES: 'false',
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        TRACE_FLUSH_INTERVAL_MS: '100',
      },
      dir.path,
    );
    base = await main.url();
  });
  after(async () => {
    main.child.kill('SIGTERM');
    await main.exited;
    await new Promise<void>((resolve) => collector.close(() => resolve()));
    dir.remove();
  });

  it('one record per assertion, linked to the evaluated span', async () => {
    const card = await request(base, 'POST', '/api/prompt-cards', {
      title: 'Logged',
      prompt_template: 'Hi',
    });
    assert.equal(card.status, 201, card.text);
    const cardId = card.body.id as string;
    const rule = await request(base, 'POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [
        { type: 'contains', value: 'thanks' },
        { type: 'icontains', value: 'refund' },
      ],
    });
    assert.equal(rule.status, 201, rule.text);
    const exported = await request(base, 'POST', '/api/v1/traces', {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: TRACE_ID,
                  spanId: SPAN_ID,
                  attributes: [
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                    { key: 'output.value', value: { stringValue: 'thanks a lot' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(exported.status, 200, exported.text);
    const events = await waitFor(
      'two evaluation records',
      () => {
        const found = records.filter((r) => r.eventName === 'gen_ai.evaluation.result');
        return found.length >= 2 ? found : undefined;
      },
      30_000,
    );
    const attrs = (r: LogRecord) =>
      Object.fromEntries(
        (r.attributes ?? []).map((a) => [
          a.key,
          a.value.stringValue ?? a.value.doubleValue ?? Number(a.value.intValue),
        ]),
      );
    const byName = new Map(events.map((r) => [attrs(r)['gen_ai.evaluation.name'], r]));
    assert.deepEqual([...byName.keys()].sort(), ['contains', 'icontains']);
    for (const r of events) {
      assert.equal(r.traceId, TRACE_ID);
      assert.equal(r.spanId, SPAN_ID);
      assert.equal(attrs(r)['prompt_card.id'], cardId);
      assert.equal(typeof attrs(r)['gen_ai.evaluation.explanation'], 'string');
    }
    const passed = attrs(byName.get('contains') ?? {});
    assert.equal(passed['gen_ai.evaluation.score.label'], 'pass');
    assert.equal(passed['gen_ai.evaluation.score.value'], 1);
    const failed = attrs(byName.get('icontains') ?? {});
    assert.equal(failed['gen_ai.evaluation.score.label'], 'fail');
    assert.equal(failed['gen_ai.evaluation.score.value'], 0);
  });
});
