/**
 * promptfoo forms found in its published examples, through `prompt-cards eval` in process
 * against the loopback OpenAI-wire server (it answers "echo: <prompt>"): the older `prompts`
 * map (`{file: label}`) and provider map (`- openai:model: {id, prompts, config}`), the
 * `load`/`dump` Nunjucks filters, and a test transform that throws (the result's error, as
 * promptfoo reports it, not a failed check).
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: promptfoo forms of its examples', () => {
  let server: WireServer;
  const dir = tempDir('pcs-forms-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('reads the prompts map and provider map forms, with load/dump filters', async () => {
    mkdirSync(join(dir.path, 'prompts'), { recursive: true });
    writeFileSync(
      join(dir.path, 'prompts/chat.json'),
      '[{"role": "user", "content": "chat {{ (style | load).tone }}"}]',
    );
    writeFileSync(
      join(dir.path, 'prompts/plain.txt'),
      'plain {{ message }} {{ style | load | dump }}',
    );
    const config = join(dir.path, 'legacy.yaml');
    writeFileSync(
      config,
      [
        'prompts:',
        '  prompts/chat.json: chat_prompt',
        '  prompts/plain.txt: plain_prompt',
        'providers:',
        '  - openai:chat:m1:',
        '      id: low',
        '      prompts: chat_prompt',
        `      config: {apiBaseUrl: "${server.url}", apiKey: k, temperature: 0}`,
        '  - openai:chat:m2:',
        '      prompts: [plain_prompt]',
        `      config: {apiBaseUrl: "${server.url}", apiKey: k}`,
        'tests:',
        '  - vars: {message: hi, style: \'{"tone": "warm"}\'}',
        '    assert: [{type: contains, value: echo}]',
      ].join('\n'),
    );
    server.requests.length = 0;
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 0);
    assert.deepEqual(
      report.rows.map((r) => [r.prompt, r.model, r.verdict]),
      [
        ['chat_prompt', 'openai:low', 'pass'],
        ['plain_prompt', 'openai:chat:m2', 'pass'],
      ],
    );
    const sent = server.requests
      .filter((r) => r.path === '/v1/chat/completions')
      .map(
        (r) => r.body as { model: string; temperature?: number; messages: { content: string }[] },
      );
    const m1 = sent.find((b) => b.model === 'm1');
    assert.equal(m1?.messages.at(-1)?.content, 'chat warm');
    assert.equal(m1?.temperature, 0);
    assert.equal(
      sent.find((b) => b.model === 'm2')?.messages.at(-1)?.content,
      'plain hi {"tone":"warm"}',
    );
  });

  it('makes a test transform that throws the result’s error, not a failed check', async () => {
    const config = join(dir.path, 'transform.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{item}}"]',
        'providers:',
        `  - {id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'tests:',
        '  - vars: {item: Banana}',
        '    options: {transform: JSON.parse(output)}',
        '    assert: [{type: javascript, value: "output.color === \'yellow\'"}]',
      ].join('\n'),
    );
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 1);
    assert.equal(report.rows[0]?.verdict, 'error');
  });
});
