/**
 * What a hostile page can make a browser send: cross-site form posts (CSRF), DNS-rebound
 * requests with a foreign Host, foreign Origins (HTTP and WebSocket); plus the security
 * headers and the write rate limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createCardWithCases } from '../../support/run-helpers.js';
import { rawRequest } from '../../support/raw-request.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('browser safety (AUTH_MODE=none on loopback)', () => {
  let server: TestServer;
  let runId: string;
  let host: string;

  before(async () => {
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '60000',
      SIMULATED_LATENCY_JITTER: '0',
    });
    host = new URL(server.url).host;
    const cardId = await createCardWithCases(server, 1);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:slow'],
    });
    runId = run.body.id as string;
  });
  after(async () => server.dispose());

  it('refuses a cross-site form POST, even with an empty body, and the run goes on', async () => {
    const attempts: Record<string, string>[] = [
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      { 'content-type': 'text/plain' },
      {},
    ];
    for (const headers of attempts) {
      const response = await rawRequest(server.url, 'POST', `/api/runs/${runId}/cancel`, {
        host,
        ...headers,
      });
      assert.equal(response.status, 415, JSON.stringify(headers));
      assert.equal(response.body.error.code, 'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE');
    }
    assert.match((await server.request('GET', `/api/runs/${runId}`)).body.status, /queued|running/);
  });

  it('refuses a write from another Origin or marked cross-site, and allows its own', async () => {
    const json = { host, 'content-type': 'application/json' };
    const body = JSON.stringify({ title: 'x', prompt_template: 'y' });
    const refusals: Record<string, string>[] = [
      { origin: 'http://evil.example' },
      { origin: 'null' },
      { origin: `http://${host}`, 'sec-fetch-site': 'cross-site' },
    ];
    for (const extra of refusals) {
      const refused = await rawRequest(
        server.url,
        'POST',
        '/api/prompt-cards',
        { ...json, ...extra },
        body,
      );
      assert.equal(refused.status, 403, JSON.stringify(extra));
      assert.equal(refused.body.error.code, 'PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED');
    }
    const own = await rawRequest(
      server.url,
      'POST',
      '/api/prompt-cards',
      { ...json, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
      body,
    );
    assert.equal(own.status, 201);
  });

  it('refuses a foreign Host (DNS rebinding) on the API and the UI, not on probes', async () => {
    for (const path of ['/api/prompt-cards', '/', `/api/runs/${runId}`]) {
      const response = await rawRequest(server.url, 'GET', path, { host: 'evil.example:3001' });
      assert.equal(response.status, 400, path);
      assert.equal(response.body.error.code, 'PCS_ERR_HTTP_HOST_NOT_ALLOWED');
    }
    for (const name of ['localhost:1', '127.0.0.1', '[::1]:3001']) {
      assert.equal(
        (await rawRequest(server.url, 'GET', '/api/prompt-cards', { host: name })).status,
        200,
      );
    }
    assert.equal((await rawRequest(server.url, 'GET', '/live', { host: '10.1.2.3' })).status, 200);
  });

  it('refuses a WebSocket from another Origin or Host', async () => {
    const url = `${server.url.replace('http', 'ws')}/ws`;
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, { headers });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_req, res: { statusCode?: number }) =>
          resolve(res.statusCode ?? 0),
        );
        socket.once('error', reject);
      });
    assert.equal(await status({ origin: 'http://evil.example' }), 403);
    assert.equal(await status({ host: 'evil.example' }), 400);
    assert.equal(await status({ origin: `http://${host}` }), 101);
  });

  it('sends the security headers on the UI, the API and errors', async () => {
    for (const path of ['/', '/app.js', '/api/prompt-cards', '/api/nothing-here']) {
      const response = await server.request('GET', path);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /frame-ancestors 'none'/, path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN', path);
    }
  });

  it('serves a UI page that needs no inline script or style', async () => {
    const page = (await server.request('GET', '/')).text;
    assert.doesNotMatch(page, /<script>|<style>|style=|onclick=/);
    // The web UI's one script is a same-origin module file (built: /assets/…; unbuilt: /src/…).
    assert.match(page, /<script type="module"[^>]* src="\/(assets|src)\/[^"]+"/);
  });
});

describe('ALLOWED_HOSTS', () => {
  it('serves only the listed names (api-key mode), loopback included only in none mode', async () => {
    const server = await startTestServer({
      AUTH_MODE: 'api-key',
      ALLOWED_HOSTS: 'cards.example.org',
    });
    try {
      const listed = await rawRequest(server.url, 'GET', '/api/prompt-cards', {
        host: 'Cards.Example.org:443',
      });
      assert.equal(listed.status, 401, 'past the Host check, stopped by authentication');
      for (const host of ['evil.example', '127.0.0.1']) {
        const refused = await rawRequest(server.url, 'GET', '/api/prompt-cards', { host });
        assert.equal(refused.status, 400, host);
      }
    } finally {
      await server.dispose();
    }
  });
});

describe('write rate limit', () => {
  it('answers 429 with Retry-After once a client exceeds RATE_LIMIT_WRITES', async () => {
    const server = await startTestServer({
      RATE_LIMIT_WRITES: '5',
      RATE_LIMIT_WINDOW_SECONDS: '60',
    });
    try {
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<TestServer['request']>> | undefined;
      for (let i = 0; i < 12; i++) {
        const response = await server.request('POST', '/api/prompt-cards', {
          title: `burst ${i}`,
          prompt_template: 'x',
        });
        statuses.push(response.status);
        if (response.status === 429) limited ??= response;
      }
      assert.deepEqual(statuses, [...Array<number>(5).fill(201), ...Array<number>(7).fill(429)]);
      assert.equal(limited?.body.error.code, 'PCS_ERR_HTTP_RATE_LIMITED');
      const retryAfter = Number(limited?.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
      assert.equal((await server.request('GET', '/api/prompt-cards')).body.total, 5);
      assert.equal((await server.request('GET', '/api/prompt-cards')).status, 200, 'reads pass');
    } finally {
      await server.dispose();
    }
  });
});
