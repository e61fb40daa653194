/**
 * The built-in UI works in a real browser under the Content-Security-Policy the service sends
 * (same-origin scripts only, no inline code): headless Chromium loads the page, runs /app.js,
 * which fetches the cards and renders them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { requireService } from '../../support/system.js';
import { startTestServer } from '../../support/test-server.js';

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? 'chromium';

describe('the UI under the CSP', () => {
  it('renders the cards in headless Chromium', async (t) => {
    const skip = await requireService('Chromium', async () => {
      await run(CHROMIUM, ['--version']);
    });
    if (skip !== undefined) return t.skip(skip);
    const server = await startTestServer();
    try {
      const card = await server.request('POST', '/api/prompt-cards', {
        title: 'Rendered by the browser',
        prompt_template: 'x',
      });
      assert.equal(card.status, 201);
      const page = await server.request('GET', '/');
      assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      const { stdout } = await run(
        CHROMIUM,
        [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--virtual-time-budget=5000',
          '--dump-dom',
          `${server.url}/`,
        ],
        { timeout: 30_000 },
      );
      // The web UI's bundle ran under the CSP and rendered the card from the API.
      assert.match(stdout, /<a href="#\/cards\/[^"]+">Rendered by the browser<\/a>/);
    } finally {
      await server.dispose();
    }
  });
});
