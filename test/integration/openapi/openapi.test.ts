/**
 * The OpenAPI document against the running service: every route the app mounts is described,
 * every described route is mounted (it never answers "no such route"), and the reference page
 * loads its files from the service itself.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { openApiPath } from '../../../src/openapi/openapi-document.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: string | string[];
}

/** `METHOD /path` of every route in an Express app, mount paths included. */
function mountedRoutes(server: Server): string[] {
  const app = server.listeners('request')[0] as unknown as { router: { stack: Layer[] } };
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route !== undefined) {
        const paths = [layer.route.path].flat();
        const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
        return paths.flatMap((path) => methods.map((m) => `${m.toUpperCase()} ${prefix}${path}`));
      }
      if (layer.handle.stack !== undefined) {
        const mount = [layer.rawPath ?? ''].flat()[0] ?? '';
        return walk(layer.handle.stack, prefix + (mount === '/' ? '' : mount));
      }
      return [];
    });
  return walk(app.router.stack, '');
}

describe('the OpenAPI document', () => {
  let server: TestServer;
  let document: { paths: Record<string, Record<string, { operationId: string }>> };
  before(async () => {
    server = await startTestServer({ ENABLE_ADVANCED_ANALYTICS: 'true' });
    document = (await server.request('GET', '/api/openapi.json')).body as typeof document;
  });
  after(() => server.dispose());

  it('is OpenAPI 3.1 with an operation id on every operation', () => {
    assert.match((document as unknown as { openapi: string }).openapi, /^3\.1\./);
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((op) => op.operationId),
    );
    assert.ok(ids.length >= 25);
    assert.equal(new Set(ids).size, ids.length, 'operation ids are unique');
  });

  it('describes every route the app mounts', () => {
    const described = new Set(
      Object.entries(document.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const mounted = mountedRoutes(server.running.server).map((route) => {
      const [method = '', path = ''] = route.split(' ');
      return `${method} ${openApiPath(path)}`;
    });
    assert.ok(mounted.length >= 25, `found ${mounted.length} routes`);
    // /index.html is the UI page's second name; it answers what / answers.
    const missing = mounted.filter((r) => !described.has(r) && r !== 'GET /index.html');
    assert.deepEqual(missing, []);
  });

  it('mounts every route it describes: none answers "no such route"', async () => {
    const sample: Record<string, string> = { id: 'no-such-id', service: 'database' };
    // A file each asset route really serves: the reference page's style, and the web UI's
    // built script (when the UI is built; an unbuilt checkout serves no /assets file).
    const built = existsSync('dist/web/assets') ? readdirSync('dist/web/assets') : [];
    const files: Record<string, string | undefined> = {
      '/api/docs/assets/{file}': 'swagger-ui.css',
      '/assets/{file}': built[0],
      '/docs/runbooks/{file}': 'HighErrorRate.md',
    };
    for (const [path, item] of Object.entries(document.paths)) {
      if (path in files && files[path] === undefined) continue;
      for (const method of Object.keys(item)) {
        const url = path.replace(
          /\{(\w+)\}/g,
          (_m, name: string) => (name === 'file' ? files[path] : sample[name]) ?? 'x',
        );
        const body = method === 'get' || method === 'delete' ? undefined : {};
        const response = await fetch(server.url + url, {
          method: method.toUpperCase(),
          ...(body === undefined
            ? {}
            : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        });
        const text = await response.text();
        const notRouted =
          response.status === 404 && text.includes('"code":"PCS_ERR_HTTP_ROUTE_NOT_FOUND"');
        assert.ok(!notRouted, `${method.toUpperCase()} ${url} is described but not mounted`);
      }
    }
  });

  it('serves the API reference and its files from the service (no CDN)', async () => {
    const page = await fetch(`${server.url}/api/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(sources.length >= 3);
    for (const source of sources) {
      assert.ok(source.startsWith('/api/docs/assets/'), `${source} is served here`);
      const asset = await fetch(server.url + source);
      assert.equal(asset.status, 200, source);
      assert.ok((await asset.arrayBuffer()).byteLength > 0);
    }
    const init = await (await fetch(`${server.url}/api/docs/assets/init.js`)).text();
    assert.match(init, /\/api\/openapi\.json/);
    const outside = await fetch(`${server.url}/api/docs/assets/package.json`);
    assert.equal(outside.status, 404);
  });
});
