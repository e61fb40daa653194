/**
 * Bad exports to the OTLP receiver: each answers 4xx naming the problem (never 5xx), and none
 * stores anything. A valid export in the same suite proves the rule would have sampled.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

function span(cardId: string, attributes: unknown[] = [], spanId = 'eee19b7ec3c1b174') {
  return {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: '5b8efff798038103d269b633813fc60c',
                spanId,
                attributes: [
                  { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                  { key: 'prompt_card.id', value: { stringValue: cardId } },
                  ...attributes,
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe('OTLP receiver: bad input', () => {
  let server: TestServer;
  let cardId: string;

  before(async () => {
    server = await startTestServer({
      OTLP_MAX_BODY_BYTES: '200000',
      OTLP_MAX_ATTRIBUTES: '100',
      OTLP_MAX_ATTRIBUTE_CHARS: '1000',
      ONLINE_EVAL_MAX_BACKLOG: '3',
      // Nothing judges here: the backlog stays as exported.
      ONLINE_EVAL_IN_PROCESS: 'false',
    });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Bad input',
      prompt_template: 'Say {{word}}',
    });
    cardId = card.body.id as string;
    const rule = await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'contains', value: 'x' }],
      require_card_attribute: true,
    });
    assert.equal(rule.status, 201, rule.text);
  });
  after(async () => server.dispose());

  async function post(body: BodyInit, headers: Record<string, string>) {
    const response = await fetch(`${server.url}/api/v1/traces`, {
      method: 'POST',
      body,
      headers,
    });
    const text = await response.text();
    return { status: response.status, text, retryAfter: response.headers.get('retry-after') };
  }

  async function stored(): Promise<number> {
    const page = await server.request('GET', `/api/prompt-cards/${cardId}/online-evaluations`);
    return page.body.total as number;
  }

  const cases: [string, () => Promise<{ status: number; text: string }>, number, RegExp][] = [
    [
      'malformed protobuf',
      () =>
        post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), {
          'content-type': 'application/x-protobuf',
        }),
      400,
      /PCS_ERR_OTLP_MALFORMED.*not an OTLP ExportTraceServiceRequest/,
    ],
    [
      'malformed JSON',
      () => post('{"resourceSpans": [', { 'content-type': 'application/json' }),
      400,
      /PCS_ERR_OTLP_MALFORMED.*not valid JSON/,
    ],
    [
      'JSON of the wrong shape',
      () => post('{"resourceSpans": {"a": 1}}', { 'content-type': 'application/json' }),
      400,
      /PCS_ERR_OTLP_MALFORMED.*resourceSpans/,
    ],
    [
      'a trace id that is not hex',
      () =>
        post(JSON.stringify(span('x')).replace('5b8efff798038103d269b633813fc60c', 'zz'), {
          'content-type': 'application/json',
        }),
      400,
      /traceId must be 16 bytes in hex/,
    ],
    [
      'a wrong content type',
      () => post('hello', { 'content-type': 'text/plain' }),
      415,
      /PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE.*text\/plain/,
    ],
    [
      'an unknown content encoding',
      () => post('{}', { 'content-type': 'application/json', 'content-encoding': 'br2' }),
      415,
      /PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE.*br2/,
    ],
    [
      'gzip that does not decompress',
      () =>
        post(Buffer.from('not gzip'), {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        }),
      400,
      /PCS_ERR_OTLP_MALFORMED/,
    ],
    [
      'an oversized export',
      () => post('x'.repeat(300_000), { 'content-type': 'application/json' }),
      413,
      /PCS_ERR_OTLP_TOO_LARGE/,
    ],
    [
      'a gzip bomb (small compressed, oversized decompressed)',
      () =>
        post(gzipSync(Buffer.from(`{"a":"${'x'.repeat(5_000_000)}"}`)), {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        }),
      413,
      /PCS_ERR_OTLP_TOO_LARGE/,
    ],
    [
      'an attribute bomb (too many attributes)',
      () =>
        post(
          JSON.stringify(
            span(
              'x',
              Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } })),
            ),
          ),
          { 'content-type': 'application/json' },
        ),
      400,
      /PCS_ERR_OTLP_MALFORMED.*1002 attributes, more than the limit of 100/,
    ],
    [
      'a huge attribute value',
      () =>
        post(
          JSON.stringify(span('x', [{ key: 'big', value: { stringValue: 'y'.repeat(50_000) } }])),
          { 'content-type': 'application/json' },
        ),
      400,
      /PCS_ERR_OTLP_MALFORMED.*attribute big has 50000 characters/,
    ],
  ];

  for (const [name, send, status, body] of cases) {
    it(`answers ${name} with ${status}, naming it, and stores nothing`, async () => {
      const response = await send();
      assert.equal(response.status, status, response.text);
      assert.match(response.text, body);
      assert.equal(await stored(), 0);
    });
  }

  it('rejects a bomb span even when the other spans of the export are fine', async () => {
    const good = span(cardId).resourceSpans[0]?.scopeSpans[0]?.spans[0];
    const bad = span(
      cardId,
      [{ key: 'big', value: { stringValue: 'y'.repeat(5000) } }],
      'aaaaaaaaaaaaaaaa',
    ).resourceSpans[0]?.scopeSpans[0]?.spans[0];
    const body = { resourceSpans: [{ scopeSpans: [{ spans: [good, bad] }] }] };
    const response = await post(JSON.stringify(body), { 'content-type': 'application/json' });
    assert.equal(response.status, 400);
    assert.equal(await stored(), 0);
  });

  it('counts spans without ids as rejected (partial success) and keeps the others', async () => {
    const body = span(cardId);
    const spans = body.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    spans.push({ ...spans[0], traceId: '', spanId: '' });
    const response = await post(gzipSync(JSON.stringify(body)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(JSON.parse(response.text), {
      partialSuccess: {
        rejectedSpans: '1',
        errorMessage: '1 spans without a valid trace or span id',
      },
    });
    assert.equal(await stored(), 1);
  });

  it('refuses with 429 and Retry-After once the backlog is full, storing nothing more', async () => {
    const ids = ['1111111111111111', '2222222222222222', '3333333333333333'];
    for (const id of ids) {
      const response = await post(JSON.stringify(span(cardId, [], id)), {
        'content-type': 'application/json',
      });
      if (response.status === 429) {
        assert.equal(response.retryAfter, '5');
        assert.match(response.text, /PCS_ERR_OTLP_BACKLOG_FULL/);
        const before = await stored();
        assert.ok(before >= 3, `refused only at the limit, with ${before} stored`);
        return;
      }
      assert.equal(response.status, 200, response.text);
    }
    assert.fail('the backlog limit was never reached');
  });
});
