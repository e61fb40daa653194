/**
 * A list answered by `streamJsonList` on a real HTTP listener, read off the socket: the body
 * is the JSON list, small items go out in a few writes of the chunked encoding (not one per
 * item), and large items are still streamed (not gathered into one string).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { Server } from 'node:http';
import { streamJsonList } from '../../../src/http/index.js';

/** The body of a raw HTTP/1.1 answer and the sizes of its chunks (one when it is not chunked). */
function parseAnswer(raw: Buffer): { body: string; chunks: number[] } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, split).toString('latin1');
  let rest = raw.subarray(split + 4);
  if (!/transfer-encoding: chunked/i.test(head))
    return { body: rest.toString(), chunks: [rest.length] };
  const parts: Buffer[] = [];
  const chunks: number[] = [];
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, line).toString('latin1'), 16);
    if (size === 0) break;
    parts.push(rest.subarray(line + 2, line + 2 + size));
    chunks.push(size);
    rest = rest.subarray(line + 2 + size + 2);
  }
  return { body: Buffer.concat(parts).toString(), chunks };
}

describe('streamJsonList', () => {
  let server: Server;
  let port: number;
  before(async () => {
    const app = express();
    app.get('/list/:n/:chars', async (req, res) => {
      const n = Number(req.params.n);
      const chars = Number(req.params.chars);
      async function* items() {
        // Each item arrives asynchronously, as rows from the database do.
        for (let i = 0; i < n; i++) yield await Promise.resolve({ i, text: 'x'.repeat(chars) });
      }
      await streamJsonList(res, items(), () => ({ total: n }));
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  async function get(path: string): Promise<{ body: string; chunks: number[] }> {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'connect');
    socket.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const parts: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => parts.push(chunk));
    await once(socket, 'close');
    return parseAnswer(Buffer.concat(parts));
  }

  it('sends 500 small items in a few writes, as one JSON list with its tail', async () => {
    const { body, chunks } = await get('/list/500/100');
    const list = JSON.parse(body) as { items: { i: number; text: string }[]; total: number };
    assert.equal(list.total, 500);
    assert.deepEqual(
      list.items.map((item) => item.i),
      Array.from({ length: 500 }, (_, i) => i),
    );
    // About 57 KB of JSON: one write, not one per item.
    assert.ok(chunks.length <= 2, `${chunks.length} chunks`);
  });

  it('streams large items in several writes, none much larger than an item', async () => {
    const { body, chunks } = await get('/list/6/300000');
    const list = JSON.parse(body) as { items: { i: number; text: string }[]; total: number };
    assert.deepEqual(
      list.items.map((item) => item.text.length),
      [300000, 300000, 300000, 300000, 300000, 300000],
    );
    assert.ok(chunks.length >= 6, `${chunks.length} chunks`);
    assert.ok(Math.max(...chunks) < 300000 + 64 * 1024 + 100, `largest ${Math.max(...chunks)}`);
  });
});
