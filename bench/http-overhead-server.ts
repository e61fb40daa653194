/**
 * One server variant for bench/http-overhead, run in its own process (pinned by the caller):
 * VARIANT=off (ENABLE_MONITORING=false), ours (our metrics middleware), prom-bundle
 * (express-prom-bundle instead of ours). Prints its URL.
 */
import { join } from 'node:path';
import promBundle from 'express-prom-bundle';
import { parseConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { tempDir } from '../test/support/temp-dir.js';

async function main(): Promise<void> {
  const variant = process.env.VARIANT ?? 'ours';
  const dir = tempDir('pcs-bench-');
  const config = parseConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `sqlite:${join(dir.path, 'bench.db')}`,
    ENABLE_MONITORING: variant === 'ours' ? 'true' : 'false',
  });
  const earlyMiddleware =
    variant === 'prom-bundle'
      ? [promBundle({ includeMethod: true, includePath: true, includeStatusCode: true })]
      : [];
  const running = await startServer(config, { logger: silentLogger(), earlyMiddleware });
  process.stdout.write(`${running.url}\n`);
  process.on('SIGTERM', () => {
    void running.close().then(() => {
      dir.remove();
      process.exit(0);
    });
  });
}

void main();
