/**
 * The HTTP listener's timeouts against clients that hold connections: a body trickled short
 * of its Content-Length and headers never finished are answered 408 and closed after
 * HTTP_REQUEST_TIMEOUT_MS / HTTP_HEADERS_TIMEOUT_MS (not held for ever), and kept-alive
 * connections announce and keep HTTP_KEEP_ALIVE_TIMEOUT_MS (65 s by default, above a load
 * balancer's usual 60 s idle timeout, so the server never closes a connection first).
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/** Sends `bytes` and then nothing; resolves with what came back once the server closed. */
function holdConnection(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    // A guard against a hang, not a measurement: the server's timeouts here are 1 s.
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept the connection open'));
    }, 20_000).unref();
  });
}

describe('slow clients and keep-alive', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      HTTP_REQUEST_TIMEOUT_MS: '1000',
      HTTP_HEADERS_TIMEOUT_MS: '1000',
    });
  });
  after(() => server.dispose());

  it('answers 408 and closes a connection whose body stops short of its Content-Length', async () => {
    const head =
      'POST /api/prompt-cards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Content-Length: 1000\r\n\r\n{"ti';
    const answer = await holdConnection(server.running.port, head);
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('answers 408 and closes a connection whose headers never end', async () => {
    const answer = await holdConnection(
      server.running.port,
      'GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1',
    );
    assert.match(answer, /^HTTP\/1\.1 408 /);
  });

  it('announces the keep-alive timeout of HTTP_KEEP_ALIVE_TIMEOUT_MS (65 s by default)', async () => {
    const live = await server.request('GET', '/live');
    assert.equal(live.headers.get('keep-alive'), 'timeout=65');
    const other = await startTestServer({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '75000' });
    try {
      assert.equal((await other.request('GET', '/live')).headers.get('keep-alive'), 'timeout=75');
    } finally {
      await other.dispose();
    }
  });
});
