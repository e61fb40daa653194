/**
 * promptfoo renders an assertion's (or an `assert-set`'s) `metric` with the test's vars, as it
 * renders `value` (https://www.promptfoo.dev/docs/configuration/expected-outputs/#defining-named-metrics):
 * `metric: 'found_{{lang}}'` totals per language, for defaultTest's assertions too and for each
 * combination of a list var. A name that does not render is kept as written; one that renders
 * to empty text carries no metric. Run in process against the loopback OpenAI-wire server,
 * which answers `echo: <prompt>`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: metric names rendered with the test vars', () => {
  let server: WireServer;
  const dir = tempDir('pcs-metric-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('totals each rendered name, keeps one that does not render, drops an empty one', async () => {
    const config = join(dir.path, 'metrics.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{word}} in {{lang}}"]',
        'providers:',
        `  - {id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'defaultTest:',
        '  assert:',
        '    - {type: contains, value: "{{word}}", metric: "echo_{{ lang | upper }}"}',
        'tests:',
        '  - vars: {word: bonjour, lang: fr}',
        '    assert:',
        '      - type: assert-set',
        '        metric: "set_{{lang}}"',
        '        assert: [{type: contains, value: bonjour, metric: "word_{{word}}"}]',
        '      - {type: contains, value: x, metric: "{{ missing }}"}',
        '      - {type: contains, value: bonjour, metric: "{{ lang "}',
        '  - vars: {word: [hallo, tag], lang: de}',
      ].join('\n'),
    );
    const { report } = await evalCommand({ config, log: () => undefined });
    assert.equal(report.rows.length, 3);
    assert.deepEqual(
      report.named_scores.map((n) => [n.metric, n.sum, n.count]).sort(),
      [
        ['echo_DE', 2, 2],
        ['echo_FR', 1, 1],
        ['set_fr', 1, 1],
        ['word_bonjour', 1, 1],
        ['{{ lang ', 1, 1],
      ].sort(),
    );
  });
});
