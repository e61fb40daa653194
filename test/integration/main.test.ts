import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startMain } from '../support/main-process.js';
import { tempDir } from '../support/temp-dir.js';

describe('the process', () => {
  it('exits with code 2 and one message naming every bad variable', async () => {
    const dir = tempDir();
    try {
      const main = startMain(
        { PORT: 'nope', NODE_ENV: 'production', AUDIT_SECRET: 'your_blockchain_audit_secret' },
        dir.path,
      );
      assert.equal(await main.exited, 2);
      const { stderr } = main.output();
      assert.match(stderr, /PORT: must be a port number/);
      assert.match(stderr, /AUDIT_SECRET: is the placeholder/);
      assert.doesNotMatch(stderr, /your_blockchain_audit_secret/);
    } finally {
      dir.remove();
    }
  });

  it('serves, then shuts down cleanly with exit code 0 on SIGTERM', async () => {
    const dir = tempDir();
    try {
      const main = startMain(
        { PORT: '0', DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`, LOG_LEVEL: 'info' },
        dir.path,
      );
      const url = await main.url();
      const response = await fetch(`${url}/api/prompt-cards`);
      assert.equal(response.status, 200);
      main.child.kill('SIGTERM');
      assert.equal(await main.exited, 0);
      assert.match(main.output().stdout, /shutdown complete/);
    } finally {
      dir.remove();
    }
  });

  it('exits with code 1 and one start-up line when the port is in use', async () => {
    const dir = tempDir();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const main = startMain(
        { PORT: String(port), DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}` },
        dir.path,
      );
      assert.equal(await main.exited, 1);
      const { stderr } = main.output();
      assert.match(stderr, new RegExp(`^Start-up failed: 127\\.0\\.0\\.1:${port} is in use`));
      assert.doesNotMatch(stderr, /Unhandled 'error' event|WebSocketServer/);
    } finally {
      taken.close();
      dir.remove();
    }
  });
});
