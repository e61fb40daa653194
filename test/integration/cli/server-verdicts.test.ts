/**
 * A suite pushed to a service and run there gets the verdicts `prompt-cards eval` gives
 * locally: promptfoo's assert-set threshold, weights and a test threshold are stored with the
 * test cases and judged by the same function (assertions/grade-test.ts), not flattened into
 * "every assertion must pass".
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { pushCommand } from '../../../src/cli/push-command.js';
import { untilFinished } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

describe('stored verdicts of a pushed promptfoo suite', () => {
  let server: TestServer;
  const dir = tempDir('pcs-server-verdicts-');
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  it('are the local eval verdicts for sets, weights and test thresholds', async () => {
    const config = join(dir.path, 'grouped.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["Answer about {{topic}}"]',
        'providers: [simulated:fast]',
        'tests:',
        '  - description: a set at its threshold',
        '    vars: {topic: refunds}',
        '    assert:',
        '      - type: assert-set',
        '        threshold: 0.5',
        '        assert: [{type: regex, value: "."}, {type: contains, value: zzzqqq}]',
        '  - description: a test threshold over weights',
        '    vars: {topic: billing}',
        '    threshold: 0.6',
        '    assert:',
        '      - {type: regex, value: ".", weight: 2}',
        '      - {type: contains, value: zzzqqq}',
        '  - description: a set below its threshold',
        '    vars: {topic: shipping}',
        '    assert:',
        '      - type: assert-set',
        '        threshold: 0.75',
        '        assert: [{type: regex, value: "."}, {type: contains, value: zzzqqq}]',
        '  - description: weight 0 still fails',
        '    vars: {topic: taxes}',
        '    assert: [{type: regex, value: "."}, {type: contains, value: zzzqqq, weight: 0}]',
      ].join('\n'),
    );
    const { report } = await evalCommand({ config, log: () => undefined });
    const local = Object.fromEntries(report.rows.map((r) => [r.test, r.verdict === 'pass']));
    assert.deepEqual(local, {
      'a set at its threshold': true,
      'a test threshold over weights': true,
      'a set below its threshold': false,
      'weight 0 still fails': false,
    });

    await pushCommand(config, server.url, () => undefined);
    const cards = await server.request('GET', '/api/prompt-cards?q=Answer');
    const card = (cards.body.items as { id: string }[])[0];
    const run = await server.request('POST', `/api/prompt-cards/${card?.id ?? ''}/runs`, {
      models: ['simulated:fast'],
    });
    assert.equal(run.status, 202, run.text);
    await untilFinished(server, run.body.id as string);
    const results = await server.request('GET', `/api/runs/${run.body.id as string}/results`);
    const cases = await server.request('GET', `/api/prompt-cards/${card?.id ?? ''}/test-cases`);
    const names = new Map(
      (cases.body.items as { id: string; name: string }[]).map((c) => [c.id, c.name]),
    );
    const stored = Object.fromEntries(
      (results.body.items as { test_case_id: string; passed: boolean }[]).map((r) => [
        names.get(r.test_case_id),
        r.passed,
      ]),
    );
    assert.deepEqual(stored, local);
  });
});
