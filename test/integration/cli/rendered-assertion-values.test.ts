/**
 * `prompt-cards eval` renders assertion values with each test's vars, as promptfoo does: the
 * loopback OpenAI-wire server answers "echo: <prompt>", so `contains: '{{fruit}}'` passes for
 * the fruit in the prompt and fails for another test's fruit, and `icontains-any` renders its
 * items.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: assertion values rendered with the vars', () => {
  let server: WireServer;
  const dir = tempDir('pcs-rendered-values-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('gives promptfoo verdicts for {{var}} in string and list values', async () => {
    const config = join(dir.path, 'suite.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["Name a {{fruit}}"]',
        `providers: [{id: openai:chat:m, config: {apiBaseUrl: "${server.url}", apiKey: k}}]`,
        'defaultTest:',
        "  assert: [{type: contains, value: '{{fruit}}'}]",
        'tests:',
        '  - {description: banana, vars: {fruit: banana}}',
        '  - description: kiwi listed',
        '    vars: {fruit: kiwi, other: mango}',
        "    assert: [{type: icontains-any, value: ['{{other}}', '{{fruit | upper}}']}]",
        '  - description: wrong fruit',
        '    vars: {fruit: plum}',
        "    assert: [{type: not-contains, value: 'Name a {{fruit}}'}]",
      ].join('\n'),
    );
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 1);
    assert.deepEqual(
      report.rows.map((r) => [r.test, r.verdict]),
      [
        ['banana', 'pass'],
        ['kiwi listed', 'pass'],
        ['wrong fruit', 'fail'],
      ],
    );
  });
});
