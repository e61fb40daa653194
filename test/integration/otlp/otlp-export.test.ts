/**
 * End to end: a separate process exports GenAI spans with the official OpenTelemetry JS
 * exporters (`exporter-trace-otlp-proto` and `-http`) to the receiver with an ingest key; a
 * 100 % rule on the card turns every span into exactly one verdict, judged by the card's
 * test-case assertion, readable through the API and counted in /api/metrics.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');
const SCRIPT = join(process.cwd(), 'test/integration/otlp/export-genai-spans.ts');

interface Exported {
  traceId: string;
  spanId: string;
  output: string;
}

describe('OTLP export from the OpenTelemetry SDK to online verdicts', () => {
  let server: TestServer;
  let admin: Record<string, string>;
  let ingestKey: string;
  let cardId: string;

  before(async () => {
    server = await startTestServer({ AUTH_MODE: 'api-key', SIMULATED_LATENCY_MS: '0' });
    admin = { authorization: `Bearer ${(await server.running.keys.create('admin', 'admin')).key}` };
    ingestKey = (await server.running.keys.create('collector', 'ingest')).key;
    const card = await server.request(
      'POST',
      '/api/prompt-cards',
      { title: 'Refunds', prompt_template: 'Answer: {{question}}' },
      admin,
    );
    assert.equal(card.status, 201, card.text);
    cardId = card.body.id as string;
    await server.request(
      'POST',
      `/api/prompt-cards/${cardId}/test-cases`,
      {
        name: 'mentions refunds',
        input_variables: { question: 'Can I return it?' },
        assertions: [{ type: 'icontains', value: 'refund' }],
      },
      admin,
    );
    const rule = await server.request(
      'POST',
      `/api/prompt-cards/${cardId}/online-rules`,
      { sample_rate: 1, require_card_attribute: true, variables: { question: 'input' } },
      admin,
    );
    assert.equal(rule.status, 201, rule.text);
  });
  after(async () => server.dispose());

  async function exportSpans(protocol: 'proto' | 'http', count: number): Promise<Exported[]> {
    const { stdout } = await run(process.execPath, [
      '--import',
      TSX,
      SCRIPT,
      protocol,
      `${server.url}/api/v1/traces`,
      ingestKey,
      String(count),
      cardId,
    ]);
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '[]') as Exported[];
  }

  async function evaluations(): Promise<Record<string, unknown>[]> {
    const page = await server.request(
      'GET',
      `/api/prompt-cards/${cardId}/online-evaluations?limit=100`,
      undefined,
      admin,
    );
    assert.equal(page.status, 200, page.text);
    return page.body.items as Record<string, unknown>[];
  }

  it('gives every exported span one verdict, in the API and the metrics', async () => {
    const exported = [...(await exportSpans('proto', 4)), ...(await exportSpans('http', 4))];
    assert.equal(exported.length, 8);
    // Accepted spans are stored before the answer: all 8 are listed at once, judged or pending.
    assert.equal((await evaluations()).length, 8);
    let items = await evaluations();
    for (let i = 0; i < 200 && items.some((e) => e.status !== 'done'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      items = await evaluations();
    }
    for (const span of exported) {
      const mine = items.filter((e) => e.trace_id === span.traceId && e.span_id === span.spanId);
      assert.equal(mine.length, 1, `one verdict for span ${span.spanId}`);
      const verdict = mine[0] ?? {};
      assert.equal(verdict.status, 'done');
      assert.equal(verdict.output, span.output);
      assert.match(String(verdict.input), /^Can I return item \d+\?$/);
      assert.deepEqual(verdict.variables, { question: verdict.input });
      assert.equal(verdict.model, 'gpt-4o-mini-2024-07-18');
      assert.equal(verdict.pass, span.output.includes('refund'));
    }
    const metrics = await server.request('GET', '/api/metrics', undefined, admin);
    const series = (name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics.text)?.[1] ?? 'NaN');
    const labels = `card="${cardId}",model="gpt-4o-mini-2024-07-18",assertion="icontains"`;
    assert.equal(series(`prompt_card_online_evaluations_total\\{${labels},outcome="passed"\\}`), 4);
    assert.equal(series(`prompt_card_online_evaluations_total\\{${labels},outcome="failed"\\}`), 4);
    assert.equal(series('prompt_card_otlp_spans_total\\{outcome="seen"\\}'), 8);
    assert.equal(series('prompt_card_otlp_spans_total\\{outcome="sampled"\\}'), 8);
    assert.equal(series('prompt_card_online_evaluation_lag_seconds_count'), 8);
    assert.equal(series('prompt_card_online_evaluation_backlog'), 0);
  });

  it('adds nothing when an exporter retries the same spans', async () => {
    const before = (await evaluations()).length;
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'prompt_card.id', value: { stringValue: cardId } },
                    { key: 'gen_ai.output.messages', value: { stringValue: 'refund ok' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const key = { authorization: `Bearer ${ingestKey}` };
    assert.equal((await server.request('POST', '/api/v1/traces', body, key)).status, 200);
    assert.equal((await server.request('POST', '/api/v1/traces', body, key)).status, 200);
    assert.equal((await evaluations()).length, before + 1);
  });
});
