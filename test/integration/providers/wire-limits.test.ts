/**
 * The HTTP limits of model calls: a server's asked-for wait (`retry-after-ms`, `Retry-After`),
 * undici's header and body timeouts following PROVIDER_TIMEOUT_MS, and the answer size cap.
 *
 * These use a loopback fake server on purpose: it injects wire-level answers a real model
 * server cannot be made to give on demand (headers withheld, a 429 window with `retry-after-ms`,
 * an endless body). The providers, the dispatcher and the model client under test are the real
 * ones, built from a parsed configuration.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../../src/config.js';
import {
  createProviders,
  ModelClient,
  ProviderError,
  providerHttp,
  type Provider,
} from '../../../src/providers/index.js';
import { parseExposition } from '../../support/exposition.js';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { startTestServer } from '../../support/test-server.js';
import { startWireServer } from '../../support/wire-server.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Fake {
  readonly url: string;
  handler: Handler;
  /** Answers the client left before they were written whole. */
  readonly cutShort: () => number;
  close(): Promise<void>;
}

async function startFake(): Promise<Fake> {
  let cut = 0;
  const sockets = new Set<Socket>();
  const fake = {
    handler: ((_req, res) => res.end('{}')) as Handler,
  };
  const server = createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) cut++;
    });
    req.resume();
    req.on('end', () => fake.handler(req, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    cutShort: () => cut,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

const answer = (content: string) =>
  JSON.stringify({
    model: 'alpha',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });

function openaiOf(fake: Fake, env: Record<string, string>): Provider {
  const config = parseConfig({ NODE_ENV: 'test', OPENAI_BASE_URL: fake.url, ...env });
  const provider = createProviders(config.providers).find((p) => p.name === 'openai');
  assert.ok(provider !== undefined);
  return provider;
}

const hi = [{ role: 'user' as const, content: 'hi' }];
/** A signal that never aborts: only the provider's own limits can end the call. */
const never = () => new AbortController().signal;

describe('model call wire limits', () => {
  let fake: Fake;
  before(async () => {
    fake = await startFake();
  });
  after(() => fake.close());

  it('honours retry-after-ms: one wait as long as asked, then the answer', async () => {
    let refuseUntil = 0;
    let calls = 0;
    fake.handler = (_req, res) => {
      calls++;
      const now = Date.now();
      if (refuseUntil === 0) refuseUntil = now + 400;
      if (now < refuseUntil) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '400' });
        res.end('{"error":{"message":"slow down"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer('after the wait'));
    };
    const provider = openaiOf(fake, {});
    // Backoff of 1 ms: without the header each retry would come back within the window.
    const client = new ModelClient([provider], {
      timeoutMs: 5000,
      maxRetries: 3,
      prices: {},
      embeddingModel: 'openai:e',
      graderModel: 'openai:g',
      retry: { baseDelayMs: 1 },
    });
    const call = await client.chat('openai:alpha', hi, never());
    assert.equal(call.output, 'after the wait');
    assert.equal(call.attempts, 2);
    assert.equal(calls, 2);
  });

  it('ends the call at once when the asked wait exceeds PROVIDER_RETRY_AFTER_MAX_MS', async () => {
    let calls = 0;
    fake.handler = (_req, res) => {
      calls++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '120000' });
      res.end('{"error":{"message":"come back later"}}');
    };
    const client = new ModelClient([openaiOf(fake, {})], {
      timeoutMs: 5000,
      maxRetries: 3,
      prices: {},
      embeddingModel: 'openai:e',
      graderModel: 'openai:g',
      retry: { baseDelayMs: 1, maxRetryAfterMs: 1000 },
    });
    await assert.rejects(client.chat('openai:alpha', hi, never()), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, 'rate_limited');
      assert.equal(error.details.retryAfterMs, 120_000);
      assert.match(error.message, /asked to wait 120000 ms, more than the 1000 ms allowed/);
      return true;
    });
    assert.equal(calls, 1);
  });

  it('times out withheld headers by PROVIDER_TIMEOUT_MS, as a timeout', async () => {
    fake.handler = (_req, res) => {
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer('too late'));
      }, 1500);
      res.on('close', () => clearTimeout(timer));
    };
    // No model client and a signal that never aborts: only the dispatcher can end this call,
    // and undici's default (300 s) would let the answer arrive.
    const provider = openaiOf(fake, { PROVIDER_TIMEOUT_MS: '100' });
    await assert.rejects(provider.chat({ model: 'alpha', messages: hi }, never()), (error) => {
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /UND_ERR_HEADERS_TIMEOUT/);
      assert.doesNotMatch(error.message, /Cannot reach/);
      return true;
    });
  });

  it('times out a stalled body by PROVIDER_TIMEOUT_MS, as a timeout', async () => {
    fake.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"model":"alpha","choices":[');
      const timer = setTimeout(() => res.end(']}'), 1500);
      res.on('close', () => clearTimeout(timer));
    };
    const provider = openaiOf(fake, { PROVIDER_TIMEOUT_MS: '100' });
    await assert.rejects(provider.chat({ model: 'alpha', messages: hi }, never()), (error) => {
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /UND_ERR_BODY_TIMEOUT/);
      return true;
    });
  });

  it('gives the dispatcher a timeout beyond undici’s 300 s default when configured', async () => {
    const config = parseConfig({ NODE_ENV: 'test', PROVIDER_TIMEOUT_MS: '900000' });
    const made = providerHttp(config.providers).dispatcher;
    assert.ok(made !== undefined);
    const dispatcher = await made();
    try {
      // undici keeps an Agent's options under its `options` symbol.
      const key = Object.getOwnPropertySymbols(dispatcher).find((s) => s.description === 'options');
      assert.ok(key !== undefined, 'the Agent keeps its options');
      const options = (dispatcher as unknown as Record<symbol, Record<string, unknown>>)[key];
      assert.equal(options?.headersTimeout, 900_000);
      assert.equal(options?.bodyTimeout, 900_000);
    } finally {
      await dispatcher.close();
    }
  });

  it('refuses an endless answer past PROVIDER_MAX_RESPONSE_BYTES while it arrives', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    let written = 0;
    const total = 32 * 1024 * 1024;
    fake.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"model":"alpha","choices":[{"message":{"content":"');
      const more = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', more);
            return;
          }
        }
        if (!res.destroyed) res.end('"},"finish_reason":"stop"}]}');
      };
      more();
    };
    const cutBefore = fake.cutShort();
    const provider = openaiOf(fake, { PROVIDER_MAX_RESPONSE_BYTES: String(1024 * 1024) });
    await assert.rejects(provider.chat({ model: 'alpha', messages: hi }, never()), (error) => {
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.kind, 'invalid_response');
      assert.match(error.message, /PROVIDER_MAX_RESPONSE_BYTES \(1048576 bytes\)/);
      return true;
    });
    // The client closed the connection: the rest of the 32 MiB was never taken.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(fake.cutShort(), cutBefore + 1);
    assert.ok(written < total, `${written} of ${total} bytes written`);
  });

  it('refuses an answer whose Content-Length is past the cap without reading it', async () => {
    const body = answer('y'.repeat(2 * 1024 * 1024));
    fake.handler = (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
    const provider = openaiOf(fake, { PROVIDER_MAX_RESPONSE_BYTES: String(1024 * 1024) });
    await assert.rejects(provider.chat({ model: 'alpha', messages: hi }, never()), (error) => {
      assert.ok(error instanceof ProviderError, String(error));
      assert.equal(error.kind, 'invalid_response');
      assert.match(error.message, /Content-Length 2097/);
      return true;
    });
    // Under the cap the same answer is read.
    const roomy = openaiOf(fake, { PROVIDER_MAX_RESPONSE_BYTES: String(4 * 1024 * 1024) });
    const call = await roomy.chat({ model: 'alpha', messages: hi }, never());
    assert.equal(call.output.length, 2 * 1024 * 1024);
  });
});

describe('an oversized answer in a run', () => {
  it('ends the item invalid_response, stores no output, and is counted', async () => {
    const wire = await startWireServer('openai');
    const server = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      PROVIDER_MAX_RETRIES: '0',
      PROVIDER_MAX_RESPONSE_BYTES: String(1024 * 1024),
    });
    try {
      wire.answer = () => 'z'.repeat(2 * 1024 * 1024);
      const cardId = await createCardWithCases(server, 1, [{ type: 'not-contains', value: 'q' }]);
      const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
      });
      await untilFinished(server, run.body.id as string);
      const results = await server.request('GET', `/api/runs/${run.body.id}/results`);
      const [result] = results.body.items;
      assert.equal(result.error.type, 'invalid_response');
      assert.match(result.error.message, /PROVIDER_MAX_RESPONSE_BYTES/);
      assert.equal(result.output, null);
      const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
      const refused = metrics.samples.find(
        (s) =>
          s.name === 'gen_ai_client_operation_duration_seconds_count' &&
          s.labels.error_type === 'invalid_response' &&
          s.labels.gen_ai_request_model === 'alpha',
      );
      assert.equal(refused?.value, 1);
    } finally {
      await server.dispose();
      await wire.close();
    }
  });
});
