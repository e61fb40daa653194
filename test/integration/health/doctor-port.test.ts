/**
 * `npm run doctor` reads the same environment as the service: without APP_URL it checks the
 * app on 127.0.0.1:$PORT, not on a fixed 3001.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('npm run doctor', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.dispose());

  it('checks the app on PORT when APP_URL is not set', async () => {
    const port = new URL(server.url).port;
    const outcome = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        join(process.cwd(), 'node_modules/tsx/dist/loader.mjs'),
        join(process.cwd(), 'scripts/doctor.ts'),
      ],
      { env: { PATH: process.env.PATH ?? '', PORT: port } },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    assert.match(
      outcome.stdout,
      new RegExp(`OK {3}.*at http://127\\.0\\.0\\.1:${port}/api/metrics`),
    );
  });
});
