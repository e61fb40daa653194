/**
 * Independent fuzzing of the API from its published document (docs/openapi.json) with
 * schemathesis (engines/schemathesis, `st run`), against the real server: no 5xx, and every
 * response conforms to the document (status code, content type, headers, body schema).
 * Bounded: SCHEMATHESIS_MAX_EXAMPLES cases per operation and phase (default 10)
 * and SCHEMATHESIS_MAX_TIME seconds in all (default 240); a fixed seed (SCHEMATHESIS_SEED, 1) so a
 * failure replays. The malformed-request fuzzer (malformed-requests.test.ts) is the project's
 * own; this one shares no code with the server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requireEngine, spawnEngine } from '../../support/engine-cache.js';
import { createCardWithCases } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const MAX_EXAMPLES = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '10';
const MAX_TIME = process.env.SCHEMATHESIS_MAX_TIME ?? '240';
const SEED = process.env.SCHEMATHESIS_SEED ?? '1';

describe('schemathesis against docs/openapi.json', () => {
  let skip: string | undefined;
  let st: string;
  let server: TestServer;
  const reports = tempDir('pcs-schemathesis-');
  before(async () => {
    const engine = await requireEngine('schemathesis');
    if (engine.skip !== undefined) {
      skip = engine.skip;
      return;
    }
    st = join(engine.dir, 'venv', 'bin', 'st');
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '1',
      SIMULATED_LATENCY_JITTER: '0',
      ENABLE_ADVANCED_ANALYTICS: 'true',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
    });
    // Something to find: a card with test cases (schemathesis generates the rest).
    await createCardWithCases(server, 2);
  });
  after(async () => {
    if (skip === undefined) await server.dispose();
    reports.remove();
  });

  it(
    'finds no server error and no response outside the document',
    { timeout: 1_200_000 },
    async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const run = spawnEngine(st, [
        'run',
        'docs/openapi.json',
        '--url',
        server.url,
        '--checks',
        'not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance',
        '--max-examples',
        MAX_EXAMPLES,
        '--max-time',
        MAX_TIME,
        '--seed',
        SEED,
        '--workers',
        '1',
        '--request-timeout',
        '30',
        '--generation-database',
        'none',
        '--no-color',
        '--report-junit-path',
        join(reports.path, 'junit.xml'),
      ]);
      const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
      const output = run.output();
      const summary = output.split('\n').filter((l) => /passed|failed|errors?\b/i.test(l));
      t.diagnostic(summary.slice(-5).join(' | '));
      assert.equal(code, 0, output);
      const junit = readFileSync(join(reports.path, 'junit.xml'), 'utf8');
      assert.match(junit, /<testsuite [^>]*tests="[1-9]/, 'operations were tested');
    },
  );
});
