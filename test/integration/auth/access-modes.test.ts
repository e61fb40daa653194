/**
 * The three AUTH_MODEs beyond the route table: the run's user_category from the identity, the
 * WebSocket's two ways to authenticate, proxy headers believed only from TRUSTED_PROXY_CIDRS,
 * the `npm run keys` command, and the refusal to start unauthenticated on a public address.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { ConfigError, parseConfig } from '../../../src/config.js';
import { startMain } from '../../support/main-process.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { tempDir } from '../../support/temp-dir.js';

const run = promisify(execFile);

/** Opens /ws and collects its messages; resolves with the close code. */
function openSocket(server: TestServer, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws`, { headers });
  const messages: { type: string; code?: string }[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString('utf8'))));
  const closed = once(socket, 'close').then(([code]) => code as number);
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res: { statusCode: number }) =>
      reject(new Error(`status ${res.statusCode}`)),
    );
    socket.once('error', reject);
  });
  const next = async (type: string) => {
    for (let i = 0; i < 200; i++) {
      const found = messages.find((m) => m.type === type);
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${type} message: ${JSON.stringify(messages)}`);
  };
  return { socket, messages, opened, closed, next };
}

describe('AUTH_MODE=api-key', () => {
  let server: TestServer;
  let editor: string;
  let viewer: string;
  let runId: string;

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      SIMULATED_LATENCY_MS: '0',
      SIMULATED_FAILURE_RATE: '0',
    });
    editor = (await server.running.keys.create('ci', 'editor')).key;
    viewer = (await server.running.keys.create('dash', 'viewer')).key;
    const auth = { authorization: `Bearer ${editor}` };
    const card = await server.request(
      'POST',
      '/api/prompt-cards',
      { title: 'T', prompt_template: 'Say {{w}}' },
      auth,
    );
    await server.request(
      'POST',
      `/api/prompt-cards/${card.body.id}/test-cases`,
      { name: 'c', input_variables: { w: 'hi' } },
      auth,
    );
    const created = await server.request(
      'POST',
      `/api/prompt-cards/${card.body.id}/runs`,
      { models: ['simulated:fast'] },
      { ...auth, 'x-user-role': 'admin' },
    );
    assert.equal(created.status, 202, created.text);
    runId = created.body.id as string;
  });
  after(async () => server.dispose());

  it("takes the run's user_category from the key's role, not from X-User-Role", async () => {
    const fetched = await server.request('GET', `/api/runs/${runId}`, undefined, {
      authorization: `Bearer ${viewer}`,
    });
    assert.equal(fetched.body.user_category, 'editor');
  });

  it('admits a WebSocket with the key in the upgrade header', async () => {
    const ws = openSocket(server, { authorization: `Bearer ${viewer}` });
    await ws.opened;
    ws.socket.send(JSON.stringify({ type: 'subscribe', run_id: runId }));
    await ws.next('subscribed');
    ws.socket.close();
  });

  it('admits a WebSocket whose first message carries the key', async () => {
    const ws = openSocket(server);
    await ws.opened;
    ws.socket.send(JSON.stringify({ type: 'auth', token: viewer }));
    assert.equal((await ws.next('authenticated')) !== undefined, true);
    ws.socket.send(JSON.stringify({ type: 'subscribe', run_id: runId }));
    await ws.next('subscribed');
    ws.socket.close();
  });

  it('serves a subscribe sent right after the auth message, as a browser sends them', async () => {
    const ws = openSocket(server);
    await ws.opened;
    ws.socket.send(JSON.stringify({ type: 'auth', token: viewer }));
    ws.socket.send(JSON.stringify({ type: 'subscribe', run_id: runId }));
    await ws.next('subscribed');
    ws.socket.close();
  });

  it('closes a WebSocket that subscribes before authenticating, or sends a wrong key', async () => {
    const early = openSocket(server);
    await early.opened;
    early.socket.send(JSON.stringify({ type: 'subscribe', run_id: runId }));
    assert.equal(await early.closed, 4401);
    assert.equal(
      early.messages.some((m) => m.type === 'subscribed'),
      false,
    );
    assert.equal((await early.next('error')).code, 'PCS_ERR_AUTH_REQUIRED');

    const wrong = openSocket(server);
    await wrong.opened;
    wrong.socket.send(JSON.stringify({ type: 'auth', token: `pcs_${'0'.repeat(12)}_x` }));
    assert.equal(await wrong.closed, 4401);
    assert.equal((await wrong.next('error')).code, 'PCS_ERR_AUTH_INVALID');
  });

  it('guards /api/metrics and the webhook with a role while their own tokens are unset', async () => {
    const asViewer = { authorization: `Bearer ${viewer}` };
    const asEditor = { authorization: `Bearer ${editor}` };
    assert.equal((await server.request('GET', '/api/metrics')).status, 401);
    assert.equal((await server.request('GET', '/api/metrics', undefined, asViewer)).status, 200);
    const webhook = { version: '4', alerts: [] };
    assert.equal((await server.request('POST', '/api/alerts/webhook', webhook)).status, 401);
    assert.equal(
      (await server.request('POST', '/api/alerts/webhook', webhook, asViewer)).status,
      403,
    );
    assert.notEqual(
      (await server.request('POST', '/api/alerts/webhook', webhook, asEditor)).status,
      403,
    );
  });

  it('refuses the upgrade (401) when the header key is wrong', async () => {
    const ws = openSocket(server, { authorization: 'Bearer nope' });
    await assert.rejects(ws.opened, /status 401/);
  });
});

describe('AUTH_MODE=proxy', () => {
  it('believes X-Forwarded-User and X-User-Role only from TRUSTED_PROXY_CIDRS', async () => {
    const trusted = await startTestServer({
      AUTH_MODE: 'proxy',
      TRUSTED_PROXY_CIDRS: '127.0.0.0/8',
    });
    const untrusted = await startTestServer({
      AUTH_MODE: 'proxy',
      TRUSTED_PROXY_CIDRS: '10.0.0.0/8,::1/128',
    });
    try {
      const as = (role: string) => ({ 'x-forwarded-user': 'ada', 'x-user-role': role });
      const body = { title: 'T', prompt_template: 'x' };
      assert.equal((await trusted.request('GET', '/api/prompt-cards')).status, 401);
      assert.equal(
        (await trusted.request('GET', '/api/prompt-cards', undefined, as('viewer'))).status,
        200,
      );
      assert.equal(
        (await trusted.request('POST', '/api/prompt-cards', body, as('viewer'))).status,
        403,
      );
      assert.equal(
        (await trusted.request('POST', '/api/prompt-cards', body, as('editor'))).status,
        201,
      );
      const unknownRole = await trusted.request('GET', '/api/keys', undefined, as('root'));
      assert.equal(unknownRole.body.error.code, 'PCS_ERR_AUTH_INVALID');
      assert.equal((await trusted.request('GET', '/api/keys', undefined, as('admin'))).status, 200);
      const spoofed = await untrusted.request('GET', '/api/keys', undefined, as('admin'));
      assert.equal(spoofed.status, 401);
      assert.equal(spoofed.body.error.code, 'PCS_ERR_AUTH_REQUIRED');
    } finally {
      await trusted.dispose();
      await untrusted.dispose();
    }
  });
});

describe('AUTH_MODE=none', () => {
  it('is refused on a non-loopback HOST unless ALLOW_UNAUTHENTICATED=true', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.4', 'example.org']) {
      assert.throws(
        () => parseConfig({ HOST: host }),
        (error: unknown) =>
          error instanceof ConfigError && error.problems.some((p) => p.variable === 'AUTH_MODE'),
        host,
      );
      parseConfig({ HOST: host, ALLOW_UNAUTHENTICATED: 'true' });
      parseConfig({ HOST: host, AUTH_MODE: 'api-key' });
    }
    for (const host of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost'])
      parseConfig({ HOST: host });
  });

  it('makes the process exit 2 on HOST=0.0.0.0', async () => {
    const dir = tempDir();
    try {
      const main = startMain({
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_URL: `sqlite:${join(dir.path, 'x.db')}`,
      });
      assert.equal(await main.exited, 2);
      assert.match(main.output().stderr, /AUTH_MODE/);
    } finally {
      dir.remove();
    }
  });
});

describe('npm run keys', () => {
  it('creates a key (printed once), lists it without the key, and revokes it', async () => {
    const dir = tempDir();
    const env = {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir.path, 'keys.db')}`,
      LOG_LEVEL: 'silent',
    };
    const keys = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'src/cli/keys.ts', ...args], { env });
    try {
      const created = await keys('create', '--name', 'ci', '--role', 'editor');
      const key = /^(pcs_[0-9a-f]{12}_[0-9a-f]{64})$/m.exec(created.stdout)?.[1];
      assert.ok(key, created.stdout);
      const id = key.slice(4, 16);
      const listed = await keys('list');
      assert.match(listed.stdout, new RegExp(`${id}\\s+editor .* ci`));
      assert.equal(listed.stdout.includes(key.slice(17)), false, 'the key is never shown again');
      const server = await startTestServer(
        { AUTH_MODE: 'api-key', DATABASE_URL: env.DATABASE_URL },
        dir.path,
      );
      try {
        const auth = { authorization: `Bearer ${key}` };
        assert.equal(
          (await server.request('GET', '/api/prompt-cards', undefined, auth)).status,
          200,
        );
        await keys('revoke', id);
        const audited = await server.running.audit.list({ limit: 10, offset: 0, actor: 'cli' });
        assert.deepEqual(
          audited.items.map((r) => `${r.action} ${r.target_id}`),
          [`api_key.revoked ${id}`, `api_key.created ${id}`],
        );
        assert.equal(
          (await server.request('GET', '/api/prompt-cards', undefined, auth)).status,
          401,
        );
      } finally {
        await server.stop();
      }
      await assert.rejects(keys('create', '--name', 'x', '--role', 'root'), /--role must be/);
    } finally {
      dir.remove();
    }
  });
});
