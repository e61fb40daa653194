/**
 * The InfluxDB 2 path (the official client) against a loopback server implementing the
 * documented write endpoint, `POST /api/v2/write?org=&bucket=&precision=` with
 * `Authorization: Token …`, 204 on success and a JSON `{code, message}` body on errors.
 * InfluxDB 2 does not run here (Debian ships 1.x, tested for real in test/system/sinks).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { influxdbSink } from '../../../src/sinks/influxdb-sink.js';
import type { SinkMetrics } from '../../../src/sinks/index.js';
import { silentLogger } from '../../../src/telemetry/logging/index.js';

interface Received {
  readonly url: URL;
  readonly authorization: string | undefined;
  readonly body: string;
}

describe('InfluxDB 2 writes through the official client (loopback /api/v2/write)', () => {
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let answer: { status: number; body?: object } = { status: 204 };
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({
          url: new URL(req.url ?? '/', 'http://x'),
          authorization: req.headers.authorization,
          body,
        });
        if (answer.body === undefined) res.writeHead(answer.status).end();
        else
          res
            .writeHead(answer.status, { 'content-type': 'application/json' })
            .end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes line protocol with the token to the org and bucket; 5xx is retried, 400 dropped and counted', async () => {
    const counts: Record<string, number> = {};
    const metrics: SinkMetrics = {
      writes: (_s, outcome, n) => (counts[outcome] = (counts[outcome] ?? 0) + n),
      queueDepth: () => undefined,
    };
    const sink = influxdbSink(
      {
        url,
        target: { version: 2, token: 'secret-token', org: 'pcs', bucket: 'monitoring' },
        batchSize: 10,
        flushIntervalMs: 60_000,
        maxBufferedPoints: 100,
        backoff: { baseDelayMs: 1, maxDelayMs: 2 },
      },
      metrics,
      silentLogger(),
    );
    const point = {
      measurement: 'run_result',
      tags: { model: 'simulated:fast' },
      fields: { latency_ms: 12.5 },
      timestamp: 1_700_000_000_123,
    };
    sink.write([point]);
    await sink.flush();
    const first = received.at(-1)!;
    assert.equal(first.url.pathname, '/api/v2/write');
    assert.equal(first.url.searchParams.get('org'), 'pcs');
    assert.equal(first.url.searchParams.get('bucket'), 'monitoring');
    assert.equal(first.url.searchParams.get('precision'), 'ns');
    assert.equal(first.authorization, 'Token secret-token');
    assert.match(
      first.body,
      /^run_result,model=simulated:fast latency_ms=12\.5 1700000000123\d{6}$/,
    );
    assert.equal(counts.sent, 1);

    answer = { status: 503, body: { code: 'unavailable', message: 'starting' } };
    sink.write([point]);
    await sink.flush();
    assert.equal(counts.failed, 1, 'a 503 is a failed attempt, kept for the retry');
    answer = { status: 400, body: { code: 'invalid', message: 'unable to parse' } };
    await sink.flush();
    assert.equal(counts.dropped, 1, 'a 400 drops the batch');
    answer = { status: 204 };
    await sink.close();
  });
});
