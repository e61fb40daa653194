/**
 * The progress WebSocket's two bounds, against the real server: a subscriber that stops reading
 * is closed once its send buffer passes WS_MAX_BUFFERED_BYTES (not held in memory without end),
 * and a peer behind a cut network is terminated by the heartbeat. The client reaches the server
 * through a TCP proxy on loopback that can hold every byte (tcp-proxy.ts): a client that does
 * not read and a cut network are both that, as the server sees them.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { parseExposition, valueOf } from '../../support/exposition.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

async function metric(server: TestServer, name: string, labels: Record<string, string> = {}) {
  const res = await server.request('GET', '/api/metrics');
  assert.equal(res.status, 200, res.text);
  return valueOf(parseExposition(res.text), name, labels);
}

/** A finished run of one item, and a socket through `proxy` subscribed to it (replay done). */
async function subscribedSocket(server: TestServer, proxy: TcpProxy) {
  const cardId = await createCardWithCases(server, 1);
  const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
    models: ['simulated:fast'],
  });
  assert.equal(created.status, 202, created.text);
  await untilFinished(server, created.body.id as string);
  const socket = new WebSocket(`ws://127.0.0.1:${proxy.port}/ws`);
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const replayed = new Promise<void>((resolve) =>
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString('utf8')) as { type: string }).type === 'run.finished')
        resolve();
    }),
  );
  socket.send(JSON.stringify({ type: 'subscribe', run_id: created.body.id }));
  await replayed;
  return { socket, closed, runId: created.body.id as string };
}

describe('progress WebSocket bounds', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('closes a subscriber that stops reading once its buffer passes the bound, and counts it', async () => {
    const server = await startTestServer({
      WS_MAX_BUFFERED_BYTES: String(1024 * 1024),
      WS_HEARTBEAT_INTERVAL_MS: '3600000',
      SIMULATED_LATENCY_MS: '1',
      SIMULATED_FAILURE_RATE: '0',
    });
    const proxy = await startTcpProxy('127.0.0.1', server.running.port);
    cleanup.push(
      () => server.dispose(),
      () => proxy.close(),
    );
    const { socket, closed, runId } = await subscribedSocket(server, proxy);
    const [stored] = (await server.request('GET', `/api/runs/${runId}/results?limit=1`)).body
      .items as Record<string, unknown>[];
    proxy.stall();
    // 200 live results of 256 KB each (50 MB) to a client that reads none of them.
    const big = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 200; i++) {
      server.running.events.publish({
        type: 'result',
        run_id: runId,
        result: { ...stored, id: `big-${i}`, response: big } as never,
      });
    }
    await waitFor('the slow consumer counted', async () =>
      (await metric(server, 'websocket_connections_terminated_total', {
        reason: 'slow_consumer',
      })) === 1
        ? true
        : undefined,
    );
    await waitFor('the socket gone', async () =>
      (await metric(server, 'active_websocket_connections')) === 0 ? true : undefined,
    );
    proxy.flow();
    assert.ok([1013, 1006].includes(await closed), 'the client sees the connection end');
    socket.terminate();
  });

  it('terminates a socket whose peer stops answering pings (a cut network)', async () => {
    const server = await startTestServer({ WS_HEARTBEAT_INTERVAL_MS: '200' });
    const proxy = await startTcpProxy('127.0.0.1', server.running.port);
    cleanup.push(
      () => server.dispose(),
      () => proxy.close(),
    );
    const { socket } = await subscribedSocket(server, proxy);
    assert.equal(await metric(server, 'active_websocket_connections'), 1);
    // A live peer answers pings: several intervals pass and it stays connected.
    const pongs = await metric(server, 'websocket_connections_terminated_total');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await metric(server, 'active_websocket_connections'), 1);
    assert.equal(await metric(server, 'websocket_connections_terminated_total'), pongs);
    proxy.stall();
    await waitFor('the dead socket terminated', async () =>
      (await metric(server, 'active_websocket_connections')) === 0 ? true : undefined,
    );
    assert.equal(
      await metric(server, 'websocket_connections_terminated_total', { reason: 'missed_pong' }),
      1,
    );
    socket.terminate();
  });
});
