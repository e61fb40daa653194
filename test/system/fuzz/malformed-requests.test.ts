/**
 * Fuzz: FUZZ_REQUESTS (default 5,000) seeded malformed requests per database, across every
 * route, on SQLite and on PostgreSQL (10,000 in all): no answer is a 5xx, every answer is JSON
 * with the catalog shape when it is an error, and a rejected request leaves the database as it
 * was. About one request in eight is a bulk import (JSON, JSON Lines or CSV; sometimes a sync).
 * Prints the count and the time taken. Replay one failure with FUZZ_SEED.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../support/db-snapshot.js';
import {
  generateRequest,
  jsonBodyShape,
  mulberry32,
  type FuzzIds,
} from '../../support/malformed-requests.js';
import { startPostgresTestServer } from '../../support/postgres-server.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const COUNT = Number(process.env.FUZZ_REQUESTS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? 13);
const ENV = { ENABLE_ADVANCED_ANALYTICS: 'true', OLLAMA_BASE_URL: 'http://127.0.0.1:9' };

async function setUp(server: TestServer): Promise<FuzzIds> {
  const card = await server.request('POST', '/api/prompt-cards', {
    title: 'Fuzz',
    prompt_template: 'Hi {{name}}',
  });
  const empty = await server.request('POST', '/api/prompt-cards', {
    title: 'Empty',
    prompt_template: 'Hi',
  });
  const testCase = await server.request('POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
    name: 'tc',
    input_variables: { name: 'x' },
  });
  const imports = await server.request('POST', '/api/prompt-cards', {
    title: 'Imports',
    prompt_template: 'Hi {{who}}',
  });
  assert.equal(imports.status, 201, imports.text);
  return {
    card: card.body.id,
    emptyCard: empty.body.id,
    testCase: testCase.body.id,
    importCard: imports.body.id,
  };
}

async function fuzz(
  t: { diagnostic: (message: string) => void },
  server: TestServer,
  label: string,
) {
  const ids = await setUp(server);
  const random = mulberry32(SEED);
  const db = server.running.database.db;
  let last = await snapshot(db);
  const statuses = new Map<number, number>();
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    const request = generateRequest(random, ids);
    const response = await fetch(server.url + request.path, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined
        ? {}
        : { body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body) }),
    });
    const text = await response.text();
    const where = `#${i} ${request.method} ${request.path} (seed ${SEED}): ${response.status} ${text.slice(0, 300)}`;
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    assert.ok(response.status < 500 || isReadinessAnswer(request.path), where);
    // No JSON route takes an array or a scalar: a write sent one is refused (a 2xx was the
    // cancel route taking `[]`). The bulk import, which takes a JSON array, is left out.
    const shape = jsonBodyShape(request);
    if (
      request.method !== 'GET' &&
      !request.path.includes('/test-cases/import') &&
      (shape === 'array' || shape === 'scalar')
    )
      assert.ok(response.status >= 400, `a ${shape} body was accepted ${where}`);
    const now = await snapshot(db);
    if (response.status >= 400) {
      assert.equal(now, last, `database changed by a rejected request ${where}`);
      if (!isReadinessAnswer(request.path)) {
        const body = JSON.parse(text) as { error?: { code?: string } };
        assert.match(body.error?.code ?? '', /^PCS_ERR_/, where);
      }
    }
    last = now;
  }
  const seconds = (performance.now() - started) / 1000;
  t.diagnostic(
    `${label}: ${COUNT} malformed requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
}

/** Health probes answer 503 by design when a critical check fails; that is not a crash. */
function isReadinessAnswer(path: string): boolean {
  return /^\/(ready|health\/)/.test(path);
}

describe('fuzz: malformed requests across every route', () => {
  it('SQLite: no 5xx, rejected requests change nothing', async (t) => {
    const server = await startTestServer(ENV);
    try {
      await fuzz(t, server, 'SQLite');
    } finally {
      await server.dispose();
    }
  });

  it('PostgreSQL: no 5xx, rejected requests change nothing', async (t) => {
    const server = await startPostgresTestServer(ENV);
    if (typeof server === 'string') return t.skip(server);
    try {
      await fuzz(t, server, 'PostgreSQL');
    } finally {
      await server.dispose();
    }
  });
});
