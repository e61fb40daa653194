/**
 * `prompt-cards compare` as a regression gate: a candidate run that lacks a model or a test of
 * its baseline exits 1 and names what is missing (the paired statistics alone said "no
 * significant change", exit 0). A real service on loopback, runs of the simulated model.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCliProcess as cli } from '../../support/cli-process.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('prompt-cards compare: what the candidate lacks fails the gate', () => {
  let server: TestServer;
  let cardId: string;
  const dir = tempDir('pcs-cli-missing-');

  before(async () => {
    server = await startTestServer({ SIMULATED_LATENCY_MS: '1', SIMULATED_FAILURE_RATE: '0' });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'M',
      prompt_template: 'Say {{w}}',
    });
    cardId = card.body.id as string;
    for (const w of ['a', 'b', 'c'])
      await server.request('POST', `/api/prompt-cards/${cardId}/test-cases`, {
        name: `case ${w}`,
        input_variables: { w },
        assertions: [{ type: 'length', value: { min: 1 } }],
      });
  });
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  const run = async (models: string[]) => {
    const created = await server.request('POST', `/api/prompt-cards/${cardId}/runs`, { models });
    assert.equal(created.status, 202, created.text);
    await waitFor('the run', async () => {
      const r = await server.request('GET', `/api/runs/${created.body.id}`);
      return r.body.status === 'completed' ? r : undefined;
    });
    return created.body.id as string;
  };

  it('exits 1 naming a model the candidate dropped, and a test it dropped', async () => {
    const both = await run(['simulated:fast', 'simulated:slow']);
    const fastOnly = await run(['simulated:fast']);
    const same = await cli(['compare', both, both, '--server', server.url], dir.path);
    assert.equal(same.code, 0, same.stderr + same.stdout);
    assert.doesNotMatch(same.stdout, /MISSING/);

    const dropped = await cli(['compare', both, fastOnly, '--server', server.url], dir.path);
    assert.equal(dropped.code, 1, dropped.stderr + dropped.stdout);
    assert.match(
      dropped.stdout,
      /^MISSING simulated:slow: not in the candidate run \(3 tests in the baseline\)$/m,
    );
    assert.doesNotMatch(dropped.stdout, /MISSING simulated:fast/);
    // The other way round the candidate has more: nothing is missing.
    const added = await cli(['compare', fastOnly, both, '--server', server.url], dir.path);
    assert.equal(added.code, 0, added.stderr + added.stdout);

    const cases = await server.request('GET', `/api/prompt-cards/${cardId}/test-cases`);
    const gone = (cases.body.items as { id: string; name: string }[]).find(
      (c) => c.name === 'case b',
    );
    assert.ok(gone !== undefined);
    await server.request('DELETE', `/api/test-cases/${gone.id}`);
    const fewer = await run(['simulated:fast', 'simulated:slow']);
    const lacking = await cli(['compare', both, fewer, '--server', server.url], dir.path);
    assert.equal(lacking.code, 1, lacking.stderr + lacking.stdout);
    for (const model of ['simulated:fast', 'simulated:slow'])
      assert.match(
        lacking.stdout,
        new RegExp(`^MISSING ${model}: 1 of 3 tests not in the candidate: ${gone.id}$`, 'm'),
      );
  });
});
