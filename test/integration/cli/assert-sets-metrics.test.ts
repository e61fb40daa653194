/**
 * promptfoo's `assert-set` and named metrics through `prompt-cards eval`, in process, against
 * the loopback OpenAI-wire server (it answers `echo: <prompt>`): the set's threshold decides
 * its verdict, a set without one needs every member, and each `metric` is totalled per
 * prompt × model in the JSON report and printed in the summary; derivedMetrics are computed
 * over those totals (mathjs expressions), a failing one reported with its error.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: assert-set and named metrics', () => {
  let server: WireServer;
  const dir = tempDir('pcs-sets-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('scores sets as promptfoo does and totals each metric', async () => {
    const config = join(dir.path, 'sets.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{city}}"]',
        'providers:',
        `  - {id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'tests:',
        '  - description: half is enough',
        '    vars: {city: Paris}',
        '    assert:',
        '      - type: assert-set',
        '        threshold: 0.5',
        '        metric: set',
        '        assert:',
        '          - {type: contains, value: Paris, metric: found}',
        '          - {type: contains, value: London, metric: found}',
        '  - description: all needed',
        '    vars: {city: Rome}',
        '    assert:',
        '      - type: assert-set',
        '        metric: set',
        '        assert: [{type: contains, value: Rome}, {type: contains, value: Oslo}]',
        '      - {type: contains, value: Rome, metric: found}',
        'derivedMetrics:',
        '  - {name: ratio, value: "found / set"}',
        '  - {name: double, value: "ratio * 2"}',
        '  - {name: broken, value: "nope + 1"}',
      ].join('\n'),
    );
    const lines: string[] = [];
    const { code, report } = await evalCommand({ config, log: (l) => lines.push(l) });
    assert.deepEqual(
      report.rows.map((r) => [r.test, r.verdict, r.score]),
      [
        ['half is enough', 'pass', 0.5],
        ['all needed', 'fail', 0.75],
      ],
    );
    assert.equal(code, 1);
    assert.deepEqual(
      report.named_scores.map((n) => [n.metric, n.sum, n.count, n.mean]),
      [
        ['found', 2, 2, 1],
        ['set', 1, 2, 0.5],
      ],
    );
    assert.ok(
      lines.some((l) => /found: 2(\.0+)? \/ 2 \(mean 1(\.0+)?\)/.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual(
      report.derived_metrics.map((d) => [d.name, d.value]),
      [
        ['ratio', 2],
        ['double', 4],
        ['broken', null],
      ],
    );
    assert.match(report.derived_metrics[2]?.error ?? '', /Undefined symbol nope/);
    assert.ok(
      lines.some((l) => / double: 4$/.test(l)),
      lines.join('\n'),
    );
  });
});
