import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { createCardWithCases, untilFinished } from '../../support/run-helpers.js';
import { requireService } from '../../support/system.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/** prom-client's default gauges that promtool flags for their `_total` suffix; named by prom-client, not us. */
const PROM_CLIENT_NAMES = /^nodejs_active_(handles|requests|resources)_total /;

describe('promtool check metrics on the real /api/metrics', () => {
  let server: TestServer;
  let skip: string | undefined;
  before(async () => {
    skip = await requireService('promtool (Debian package prometheus)', () => {
      const probe = spawnSync('promtool', ['--version']);
      return probe.status === 0
        ? Promise.resolve()
        : Promise.reject(new Error(probe.error?.message ?? 'promtool not found'));
    });
    server = await startTestServer({
      SIMULATED_LATENCY_MS: '1',
      SIMULATED_FAILURE_RATE: '0.3',
      MODEL_PRICES: JSON.stringify({ 'simulated:fast': { input: 0.1, output: 0.2 } }),
    });
  });
  after(() => server.dispose());

  it("reports nothing but prom-client's own default gauge names after traffic and runs", async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const cardId = await createCardWithCases(server, 5, [{ type: 'contains', value: 'word' }]);
    const run = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, {
      models: ['simulated:fast', 'simulated:flaky'],
    });
    await untilFinished(server, run.body.id);
    await server.request('GET', '/health/comprehensive');
    await server.request('GET', '/api/nope');
    const exposition = await server.request('GET', '/api/metrics');
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: exposition.text,
      encoding: 'utf8',
    });
    const problems = `${check.stdout}${check.stderr}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !PROM_CLIENT_NAMES.test(line));
    assert.deepEqual(problems, []);
    assert.match(exposition.text, /^gen_ai_client_cost_usd_total\{/m);
  });
});
