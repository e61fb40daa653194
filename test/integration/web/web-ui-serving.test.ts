/**
 * The API serves the built web UI: the page at `/` revalidated on every load, the hashed assets
 * as immutable, a missing or escaping asset name as the JSON 404.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('web UI serving', () => {
  let server: TestServer;
  before(async () => {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
    server = await startTestServer();
  });
  after(() => server.dispose());

  it('serves the page with no-cache and a script that exists', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    assert.ok(script !== undefined, 'the page loads a built script');
    const asset = await fetch(`${server.url}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('answers the JSON 404 for a missing asset and for a name that leaves the folder', async () => {
    assert.ok(readdirSync('dist/web/assets').length > 0);
    for (const path of [
      '/assets/missing.js',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/..%2Findex.html',
    ]) {
      const response = await server.request('GET', path);
      assert.equal(response.status, 404, path);
      assert.equal(response.body.error.code, 'PCS_ERR_HTTP_ROUTE_NOT_FOUND', path);
    }
  });
});
