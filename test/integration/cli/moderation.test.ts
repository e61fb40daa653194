/**
 * promptfoo's `moderation` assertion through `prompt-cards eval`, in process, against the
 * loopback OpenAI-wire server, which answers chat with `echo: <prompt>` and /v1/moderations in
 * OpenAI's shape, flagging each category named in square brackets. Verdicts as promptfoo's
 * documentation gives them (https://www.promptfoo.dev/docs/configuration/expected-outputs/moderation/):
 * any flagged category fails without a value; with a value only the listed categories count;
 * `not-` inverts; the model is omni-moderation-latest unless the assertion's provider names
 * `openai:moderation:<model>`. The request goes to the suite's `apiBaseUrl` with its key.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: moderation assertion', () => {
  let server: WireServer;
  const dir = tempDir('pcs-moderation-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('fails on the flagged categories it checks, on the suite server and model', async () => {
    const config = join(dir.path, 'moderation.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{text}}"]',
        'providers:',
        `  - {id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: suite-key}}`,
        'tests:',
        '  - {description: calm, vars: {text: a calm reply}, assert: [{type: moderation}]}',
        '  - {description: violent, vars: {text: "[violence] now"}, assert: [{type: moderation}]}',
        '  - description: other category',
        '    vars: {text: "[hate] words"}',
        '    assert: [{type: moderation, value: [violence, self-harm]}]',
        '  - description: listed category',
        '    vars: {text: "[hate] words"}',
        '    assert: [{type: moderation, value: [violence, hate]}]',
        '  - {description: inverted, vars: {text: "[violence] now"}, assert: [{type: not-moderation}]}',
        '  - description: own model',
        '    vars: {text: "[sexual] text"}',
        '    assert:',
        '      - {type: moderation, provider: "openai:moderation:text-moderation-latest"}',
      ].join('\n'),
    );
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 1);
    assert.deepEqual(
      report.rows.map((r) => [r.test, r.verdict]),
      [
        ['calm', 'pass'],
        ['violent', 'fail'],
        ['other category', 'pass'],
        ['listed category', 'fail'],
        ['inverted', 'pass'],
        ['own model', 'fail'],
      ],
    );
    const listed = report.rows.find((r) => r.test === 'listed category');
    assert.match(listed?.assertions[0]?.reason ?? '', /Moderation flags detected: hate/);
    const calls = server.requests.filter((r) => r.path === '/v1/moderations');
    assert.equal(calls.length, 6);
    for (const call of calls) assert.equal(call.headers.authorization, 'Bearer suite-key');
    const bodies = calls.map((c) => c.body as { model: string; input: unknown });
    assert.deepEqual(
      bodies.find((b) => b.model === 'text-moderation-latest')?.input,
      'echo: [sexual] text',
    );
    assert.deepEqual(
      bodies
        .filter((b) => b.model === 'omni-moderation-latest')
        .map((b) => b.input)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      ['[hate] words', '[hate] words', '[violence] now', '[violence] now', 'a calm reply'].map(
        (t) => [{ type: 'text', text: `echo: ${t}` }],
      ),
    );
  });

  it('refuses a provider that is no OpenAI moderation model, naming the field', async () => {
    const config = join(dir.path, 'bad-provider.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{text}}"]',
        `providers: [{id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}]`,
        'tests:',
        '  - vars: {text: hi}',
        '    assert: [{type: moderation, provider: "openai:chat:gpt-4o"}]',
      ].join('\n'),
    );
    await assert.rejects(
      evalCommand({ config, log: () => undefined }),
      /bad-provider\.yaml:\d+: tests\[0\]\.assert\[0\]\.provider: a moderation assertion needs provider openai:moderation:<model>/,
    );
  });
});
