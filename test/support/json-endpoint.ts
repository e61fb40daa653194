/**
 * A loopback HTTP endpoint answering JSON POSTs, for the assertion kinds that call the user's
 * own endpoint (`webhook`, `classifier`): that endpoint is their real counterpart. It records
 * each request (path, headers, body) and answers what `answer` returns (status 200), or a
 * status when `answer` returns `{status}`.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JsonEndpoint {
  readonly url: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders; body: unknown }[];
  answer: (body: unknown) => unknown;
  close(): Promise<void>;
}

export async function startJsonEndpoint(answer: (body: unknown) => unknown): Promise<JsonEndpoint> {
  const requests: JsonEndpoint['requests'] = [];
  const state = { answer };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const out = state.answer(body);
      const status = (out as { status?: unknown } | null)?.status;
      if (typeof status === 'number') {
        res.writeHead(status).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get answer() {
      return state.answer;
    },
    set answer(fn) {
      state.answer = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
