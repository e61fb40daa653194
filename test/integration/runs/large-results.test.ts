/**
 * A page of results larger than the largest string V8 can build (about 512 MiB): 100 results
 * of 6 MB each. The answer is streamed item by item, so it is a 200 with the whole page, never
 * a 500 `RangeError: Invalid string length`. The results are written straight into the
 * server's SQLite database (no model needed to produce 600 MB), and the answer is checked as
 * it streams in, without holding it whole.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { RunResultTable } from '../../../src/db/index.js';
import { RunStore } from '../../../src/runs/index.js';
import { createCardWithCases, waitFor } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const RESULTS = 100;
const OUTPUT_BYTES = 6 * 1024 * 1024;

describe('results with outputs of several MB', () => {
  let server: TestServer;
  let runId: string;
  before(async () => {
    server = await startTestServer();
    const cardId = await createCardWithCases(server, 1, [{ type: 'contains', value: 'x' }]);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast'],
    });
    runId = run.body.id as string;
    await server.request('POST', `/api/runs/${runId}/cancel`);
    // An answer that arrived before the cancel is still recorded: wait for the run to settle,
    // then clear it, so the page holds exactly the rows written below (and its totals count them).
    await waitFor('the run to finish', async () => {
      const status = (await server.request('GET', `/api/runs/${runId}`)).body.status as string;
      return status === 'queued' || status === 'running' ? undefined : status;
    });
    await server.running.database.db
      .deleteFrom('run_results')
      .where('run_id', '=', runId)
      .execute();
    const store = new RunStore(server.running.database.db);
    // Rows deleted behind the store's back: its kept totals are recomputed from what is left.
    await store.repairTotals(runId);
    // One shared string: the test's own memory stays small; SQLite stores 600 MB on disk.
    const output = 'x'.repeat(OUTPUT_BYTES);
    for (let i = 0; i < RESULTS; i += 5) {
      const rows: RunResultTable[] = [];
      for (let j = i; j < i + 5; j++) {
        rows.push({
          id: randomUUID(),
          run_id: runId,
          test_case_id: randomUUID(),
          model: 'simulated:fast',
          repetition: j + 1,
          rendered_prompt: 'p',
          output,
          latency_ms: 1,
          input_tokens: 1,
          output_tokens: 1,
          cost_usd: null,
          assertion_results: '[]',
          score: 0,
          passed: 0,
          judged: 1,
          cached: 0,
          error_type: null,
          error_message: null,
          simulated: 1,
          attempts: 1,
          created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, j)).toISOString(),
        });
      }
      await store.insertResults(rows);
    }
  });
  after(() => server.dispose());

  it('streams a 600 MB page as one well-formed JSON answer', async () => {
    // A fresh connection (agent: false): the keep-alive sockets of the set-up may have been
    // closed by the server while the rows were written.
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(`${server.url}/api/runs/${runId}/results?limit=${RESULTS}`, { agent: false }, resolve).on(
        'error',
        reject,
      ),
    );
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] ?? '', /application\/json/);
    // The body is ASCII here: scanned as bytes, never decoded whole.
    let bytes = 0;
    let head = '';
    let tail: Buffer = Buffer.alloc(0);
    let items = 0;
    let window: Buffer = Buffer.alloc(0);
    const marker = Buffer.from(`"run_id":"${runId}"`);
    for await (const chunk of response as AsyncIterable<Buffer>) {
      bytes += chunk.byteLength;
      if (head.length < 64) head += chunk.subarray(0, 64).toString('latin1');
      tail = Buffer.concat([tail, chunk.subarray(-200)]).subarray(-200);
      // Count each result's run_id, also when it straddles two chunks.
      const scan = Buffer.concat([window, chunk]);
      for (let at = scan.indexOf(marker); at !== -1; at = scan.indexOf(marker, at + 1)) items++;
      window = scan.subarray(-(marker.length - 1));
    }
    assert.ok(head.startsWith('{"items":[{"id":"'), head);
    // A full page names the next one (here empty): `next` is the last result's key.
    assert.match(
      tail.toString('latin1'),
      new RegExp(
        `\\}\\],"total":${RESULTS},"limit":${RESULTS},"offset":0,"next":"[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}"\\}$`,
      ),
    );
    assert.equal(items, RESULTS);
    assert.ok(bytes > RESULTS * OUTPUT_BYTES, `${bytes} bytes`);
  });

  it('still answers small pages as before', async () => {
    const page = await server.request('GET', `/api/runs/${runId}/results?limit=1&offset=99`);
    assert.equal(page.status, 200);
    assert.equal(page.body.items.length, 1);
    assert.equal(page.body.items[0].repetition, 100);
    assert.equal(page.body.items[0].output.length, OUTPUT_BYTES);
    assert.deepEqual([page.body.total, page.body.limit, page.body.offset], [RESULTS, 1, 99]);
    const empty = await server.request('GET', `/api/runs/${runId}/results?offset=500`);
    assert.deepEqual(empty.body, {
      items: [],
      total: RESULTS,
      limit: 100,
      offset: 500,
      next: null,
    });
  });
});
