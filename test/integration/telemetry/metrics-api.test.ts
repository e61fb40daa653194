import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import {
  histogramOf,
  labelValues,
  parseExposition,
  seriesCount,
  valueOf,
} from '../../support/exposition.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const SIMULATED = {
  SIMULATED_LATENCY_MS: '1',
  SIMULATED_LATENCY_JITTER: '0',
  SIMULATED_FAILURE_RATE: '0',
};

async function scrape(server: TestServer, accept?: string) {
  const res = await server.request(
    'GET',
    '/api/metrics',
    undefined,
    accept === undefined ? {} : { accept },
  );
  assert.equal(res.status, 200, res.text);
  return parseExposition(res.text);
}

describe('/api/metrics after known traffic', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(SIMULATED);
  });
  after(() => server.dispose());

  it('counts requests by route template, method and status, with matching histogram counts and sums', async () => {
    const card = (
      await server.request('POST', '/api/prompt-cards', { title: 'x', prompt_template: 'Hi {{n}}' })
    ).body;
    for (let i = 0; i < 3; i++) await server.request('GET', '/api/prompt-cards');
    await server.request('GET', `/api/prompt-cards/${card.id}`);
    await server.request('GET', '/api/prompt-cards/00000000-0000-0000-0000-000000000000');
    await server.request('POST', `/api/prompt-cards/${card.id}/test-cases`, {
      name: 't',
      input_variables: { n: 1 },
    });
    const metrics = await scrape(server);
    const get = { method: 'GET', route: '/api/prompt-cards' };
    assert.equal(valueOf(metrics, 'http_requests_total', { ...get, status_code: '200' }), 3);
    assert.equal(
      valueOf(metrics, 'http_requests_total', {
        method: 'GET',
        route: '/api/prompt-cards/:id',
        status_code: '200',
      }),
      1,
    );
    assert.equal(
      valueOf(metrics, 'http_requests_total', {
        method: 'GET',
        route: '/api/prompt-cards/:id',
        status_code: '404',
      }),
      1,
    );
    assert.equal(
      valueOf(metrics, 'http_requests_total', {
        method: 'POST',
        route: '/api/prompt-cards/:id/test-cases',
        status_code: '201',
      }),
      1,
    );
    const histogram = histogramOf(metrics, 'http_request_duration_seconds', {
      ...get,
      status_code: '200',
    });
    assert.equal(histogram.count, 3);
    assert.ok(histogram.sum > 0 && histogram.sum < 3);
    assert.equal(histogram.buckets['+Inf'], 3);
    for (const route of labelValues(metrics, 'http_requests_total', 'route')) {
      assert.ok(route === 'unmatched' || route.startsWith('/'), route);
      assert.doesNotMatch(route, /[0-9a-f]{8}-/, 'an id became a label value');
    }
  });

  it('labels 1,000 random unknown paths as one series, and odd methods as other', async () => {
    const before = seriesCount(await scrape(server), 'http_requests_total');
    for (let i = 0; i < 1000; i++) {
      await server.request('GET', `/api/x-${Math.random().toString(36).slice(2)}/${i}`);
    }
    await server.request('GET', `/nothing/${Math.random()}`);
    const metrics = await scrape(server);
    assert.equal(seriesCount(metrics, 'http_requests_total'), before + 1);
    assert.equal(
      valueOf(metrics, 'http_requests_total', {
        route: 'unmatched',
        status_code: '404',
        method: 'GET',
      }),
      1001,
    );
    await fetch(`${server.url}/api/prompt-cards`, { method: 'PROPFIND' });
    assert.equal(
      valueOf(await scrape(server), 'http_requests_total', { method: 'other', route: 'unmatched' }),
      1,
    );
  });

  it('records every result and every finished run in the business and GenAI metrics', async () => {
    const cardId = await createCardWithCases(server, 3, [{ type: 'contains', value: 'zzz-never' }]);
    const run = await server.request(
      'POST',
      `/api/prompt-cards/${cardId}/runs`,
      { models: ['simulated:fast'] },
      { 'x-user-role': 'qa' },
    );
    await untilFinished(server, run.body.id);
    const metrics = await scrape(server);
    assert.equal(
      valueOf(metrics, 'test_executions_total', { model: 'simulated:fast', status: 'failure' }),
      3,
    );
    const effectiveness = histogramOf(metrics, 'prompt_effectiveness_score', {
      model: 'simulated:fast',
      prompt_type: 'echo',
      // A client-set X-User-Role is ignored: the category is the authenticated role.
      user_category: 'anonymous',
    });
    assert.equal(effectiveness.count, 3);
    assert.equal(effectiveness.sum, 0);
    assert.equal(
      valueOf(metrics, 'model_performance_comparison', {
        model: 'simulated:fast',
        metric_type: 'pass_rate',
        benchmark: cardId,
      }),
      0,
    );
    assert.ok(
      valueOf(metrics, 'model_performance_comparison', {
        metric_type: 'latency_p95_seconds',
        benchmark: cardId,
      }) > 0,
    );
    assert.ok(
      valueOf(metrics, 'model_performance_comparison', {
        metric_type: 'output_tokens_per_second',
        benchmark: cardId,
      }) > 0,
    );
    const results = (await server.request('GET', `/api/runs/${run.body.id}/results`)).body
      .items as { input_tokens: number }[];
    const input = histogramOf(metrics, 'gen_ai_client_token_usage', {
      gen_ai_request_model: 'fast',
      gen_ai_token_type: 'input',
    });
    assert.equal(input.count, 3);
    assert.equal(
      input.sum,
      results.reduce((s, r) => s + r.input_tokens, 0),
    );
    assert.equal(
      histogramOf(metrics, 'gen_ai_client_operation_duration_seconds', {
        gen_ai_provider_name: 'simulated',
        error_type: '',
      }).count,
      3,
    );
    assert.equal(valueOf(metrics, 'runs_finished_total', { status: 'completed' }), 1);
    assert.equal(histogramOf(metrics, 'run_duration_seconds', { status: 'completed' }).count, 1);
    assert.equal(valueOf(metrics, 'run_queue_depth_items'), 0);
  });

  it('keeps active_websocket_connections exact', async () => {
    const open = async () => {
      const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`);
      await new Promise((resolve) => socket.on('open', resolve));
      return socket;
    };
    const a = await open();
    const b = await open();
    assert.equal(valueOf(await scrape(server), 'active_websocket_connections'), 2);
    a.close();
    await waitFor('one connection', async () =>
      valueOf(await scrape(server), 'active_websocket_connections') === 1 ? true : undefined,
    );
    b.close();
    await waitFor('no connection', async () =>
      valueOf(await scrape(server), 'active_websocket_connections') === 0 ? true : undefined,
    );
  });

  it('answers OpenMetrics when asked, Prometheus text otherwise', async () => {
    const om = await server.request('GET', '/api/metrics', undefined, {
      accept: 'application/openmetrics-text; version=1.0.0',
    });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    assert.ok(om.text.endsWith('# EOF\n'));
    assert.ok(om.text.split('\n').includes('# TYPE http_requests counter'));
    const text = await server.request('GET', '/api/metrics');
    assert.match(text.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.ok(!text.text.includes('# EOF'));
  });
});

describe('the cardinality guard on user-sourced labels', () => {
  it('folds label sets past the cap into __overflow__ and counts the folds', async () => {
    const server = await startTestServer({ ...SIMULATED, METRICS_MAX_SERIES: '3' });
    try {
      for (let i = 0; i < 5; i++) {
        const card = (
          await server.request('POST', '/api/prompt-cards', {
            title: `c${i}`,
            prompt_template: 'x',
            tags: [`type-${i}`],
          })
        ).body;
        await server.request('POST', `/api/prompt-cards/${card.id}/test-cases`, {
          name: 't',
          input_variables: {},
          // Judged, so that it has an effectiveness score.
          assertions: [{ type: 'length', value: { max: 100_000 } }],
        });
        const run = await server.request('POST', `/api/prompt-cards/${card.id}/runs`, {
          models: ['simulated:fast'],
        });
        await untilFinished(server, run.body.id);
      }
      const metrics = await scrape(server);
      const promptTypes = labelValues(metrics, 'prompt_effectiveness_score_count', 'prompt_type');
      assert.deepEqual(promptTypes, ['__overflow__', 'type-0', 'type-1', 'type-2']);
      assert.equal(
        valueOf(metrics, 'metrics_cardinality_overflow_total', {
          metric: 'prompt_effectiveness_score',
        }),
        2,
      );
      assert.equal(
        histogramOf(metrics, 'prompt_effectiveness_score', { prompt_type: '__overflow__' }).count,
        2,
      );
    } finally {
      await server.dispose();
    }
  });
});

describe('access to /api/metrics', () => {
  it('requires the bearer token when METRICS_TOKEN is set', async () => {
    const server = await startTestServer({ METRICS_TOKEN: 'scrape-secret' });
    try {
      const denied = await server.request('GET', '/api/metrics');
      assert.equal(denied.status, 401);
      assert.equal(denied.body.error.code, 'PCS_ERR_METRICS_UNAUTHORIZED');
      assert.equal(
        (await server.request('GET', '/api/metrics', undefined, { authorization: 'Bearer wrong' }))
          .status,
        401,
      );
      for (const authorization of ['scrape-secret', 'Basic scrape-secret', 'Bearerscrape-secret']) {
        const noScheme = await server.request('GET', '/api/metrics', undefined, { authorization });
        assert.equal(noScheme.status, 401, authorization);
        assert.equal(noScheme.body.error.code, 'PCS_ERR_METRICS_UNAUTHORIZED');
      }
      assert.equal(
        (
          await server.request('GET', '/api/metrics', undefined, {
            authorization: 'Bearer scrape-secret',
          })
        ).status,
        200,
      );
    } finally {
      await server.dispose();
    }
  });

  it('is removed with ENABLE_MONITORING=false', async () => {
    const server = await startTestServer({ ENABLE_MONITORING: 'false' });
    try {
      const res = await server.request('GET', '/api/metrics');
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'PCS_ERR_HTTP_ROUTE_NOT_FOUND');
    } finally {
      await server.dispose();
    }
  });
});

describe('route labels of requests answered before routing', () => {
  it('labels a 401, a 429 and the web page with their routes, never unmatched', async () => {
    const server = await startTestServer({
      ...SIMULATED,
      AUTH_MODE: 'api-key',
      METRICS_TOKEN: 'scrape-token',
      RATE_LIMIT_WRITES: '1',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    try {
      const admin = (await server.running.keys.create('admin-key', 'admin')).key;
      // Without a key: 401 from the access guard, before any route ran.
      const anonymous = await fetch(
        `${server.url}/api/prompt-cards/00000000-0000-0000-0000-000000000001`,
      );
      assert.equal(anonymous.status, 401);
      // Two writes in the window: the second is refused by the rate limiter (also a guard).
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${server.url}/api/prompt-cards`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
          body: JSON.stringify({ title: `t${i}`, prompt_template: 'x' }),
        });
        statuses.push(res.status);
        await res.text();
      }
      assert.deepEqual(statuses, [201, 429]);
      const page = await fetch(`${server.url}/`);
      assert.equal(page.status, 200);
      await page.text();
      const scraped = await fetch(`${server.url}/api/metrics`, {
        headers: { authorization: 'Bearer scrape-token' },
      });
      const metrics = parseExposition(await scraped.text());
      const count = (labels: Record<string, string>) =>
        valueOf(metrics, 'http_requests_total', labels);
      assert.equal(count({ method: 'GET', route: '/api/prompt-cards/:id', status_code: '401' }), 1);
      assert.equal(count({ method: 'POST', route: '/api/prompt-cards', status_code: '429' }), 1);
      assert.equal(count({ method: 'GET', route: '/', status_code: '200' }), 1);
      assert.deepEqual(
        labelValues(metrics, 'http_requests_total', 'route').filter((r) => r === 'unmatched'),
        [],
        'nothing here is unmatched',
      );
    } finally {
      await server.dispose();
    }
  });
});
