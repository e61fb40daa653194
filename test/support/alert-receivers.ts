/**
 * Loopback receivers for alert notifications: one that speaks Slack's incoming-webhook
 * protocol (answers `ok`, or scripted 429 with Retry-After / 500 / `invalid_payload`), a plain
 * webhook receiver, and a real SMTP server from npm (smtp-server) that keeps what it receives.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface HttpReceiver {
  readonly url: string;
  readonly posts: {
    headers: Record<string, string | string[] | undefined>;
    body: string;
    at: number;
  }[];
  /** Status answers for the next POSTs, consumed in order (default 200). */
  readonly script: { status: number; body?: string; retryAfter?: string; delayMs?: number }[];
  close(): Promise<void>;
}

export async function startHttpReceiver(okBody = 'ok'): Promise<HttpReceiver> {
  const posts: HttpReceiver['posts'] = [];
  const script: HttpReceiver['script'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const step = script.shift();
      const answer = () => {
        res.writeHead(step?.status ?? 200, {
          'content-type': 'text/plain',
          ...(step?.retryAfter === undefined ? {} : { 'retry-after': step.retryAfter }),
        });
        res.end(step?.body ?? okBody);
      };
      if (step?.delayMs !== undefined) setTimeout(answer, step.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    posts,
    script,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SmtpReceiver {
  readonly url: string;
  readonly messages: { from: string; to: string[]; raw: string }[];
  close(): Promise<void>;
}

/** `stallAfterData`: the server reads the message and never answers it (a hung relay). */
export async function startSmtpReceiver(
  options: { readonly stallAfterData?: boolean } = {},
): Promise<SmtpReceiver> {
  const messages: SmtpReceiver['messages'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        if (options.stallAfterData !== true) callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A stalled session would hold close() open; end its sockets.
        for (const connection of server.connections) connection.close();
      }),
  };
}
