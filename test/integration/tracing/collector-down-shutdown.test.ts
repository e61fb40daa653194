/**
 * Shutdown with the trace collector down: the real process (src/main.ts) exports to a port
 * nobody listens on, serves a request (so spans wait to be exported), and gets SIGTERM. The
 * exporter would retry for its 10 s timeout; the last flush is bounded by
 * TRACE_SHUTDOWN_TIMEOUT_MS, so the process finishes its shutdown (exit 0, "shutdown
 * complete") inside its own deadline (SHUTDOWN_DRAIN_MS + SHUTDOWN_TIMEOUT_MS + 1 s) instead
 * of being cut by it (exit 1, "shutdown did not finish in time").
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startMain } from '../../support/main-process.js';
import { tempDir } from '../../support/temp-dir.js';

/** A loopback port that was free a moment ago and has no listener now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('shutdown with the trace collector down', () => {
  it('ends cleanly inside the shutdown deadline, not cut by it', async () => {
    const dir = tempDir();
    try {
      const main = startMain(
        {
          PORT: '0',
          DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
          LOG_LEVEL: 'info',
          SHUTDOWN_DRAIN_MS: '0',
          SHUTDOWN_TIMEOUT_MS: '1500',
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
          TRACE_FLUSH_INTERVAL_MS: '600000',
        },
        dir.path,
      );
      const url = await main.url();
      assert.equal((await fetch(`${url}/api/prompt-cards`)).status, 200);
      main.child.kill('SIGTERM');
      const code = await main.exited;
      const { stdout } = main.output();
      assert.doesNotMatch(stdout, /shutdown did not finish in time/);
      assert.match(stdout, /shutdown complete/);
      assert.equal(code, 0);
    } finally {
      dir.remove();
    }
  });
});
