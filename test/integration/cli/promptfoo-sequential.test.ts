/**
 * promptfoo's tests that depend on earlier answers, through `prompt-cards eval` in process
 * against the loopback OpenAI-wire server: `storeOutputAs` (a test's answer as a var of the
 * later tests, one chain per prompt × model × repetition) and `_conversation` (the earlier
 * turns of the same prompt × model, one thread per `metadata.conversationId`), each test
 * rendered with the answers before it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

interface Sent {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
}

describe('eval: tests that depend on earlier answers', () => {
  let server: WireServer;
  const dir = tempDir('pcs-sequential-');
  before(async () => {
    server = await startWireServer('openai');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });
  const sent = (): Sent[] =>
    server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as Sent);

  it('gives each later test the answers stored before it, per repetition', async () => {
    let calls = 0;
    server.answer = (prompt) => {
      calls += 1;
      return prompt.includes('Pick a fruit') ? `fruit${calls}` : `because ${prompt}`;
    };
    const config = join(dir.path, 'store.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["Reply to: {{message}}"]',
        'providers:',
        `  - {id: "openai:chat:m1", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'tests:',
        '  - vars: {message: "Pick a fruit"}',
        '    options: {storeOutputAs: fruit}',
        '  - vars: {message: "Why {{fruit}}?"}',
        '    storeOutputAs: reason',
        '    assert: [{type: icontains, value: FRUIT}]',
        '  - vars: {message: "Answer {{reason}}"}',
      ].join('\n'),
    );
    server.requests.length = 0;
    const { code, report } = await evalCommand({
      config,
      repeat: 2,
      concurrency: 1,
      log: () => undefined,
    });
    const prompts = sent().map((b) => b.messages.at(-1)?.content);
    // One chain after the other: the second repetition sees its own first answer (fruit4).
    assert.deepEqual(prompts, [
      'Reply to: Pick a fruit',
      'Reply to: Why fruit1?',
      'Reply to: Answer because Reply to: Why fruit1?',
      'Reply to: Pick a fruit',
      'Reply to: Why fruit4?',
      'Reply to: Answer because Reply to: Why fruit4?',
    ]);
    assert.equal(code, 0);
    assert.deepEqual(
      report.rows.map((r) => [r.test, r.repetition, r.verdict]),
      [
        ['#1 message=Pick a fruit', 0, 'pass'],
        ['#1 message=Pick a fruit', 1, 'pass'],
        ['#2 message=Why {{fruit}}?', 0, 'pass'],
        ['#2 message=Why {{fruit}}?', 1, 'pass'],
        ['#3 message=Answer {{reason}}', 0, 'pass'],
        ['#3 message=Answer {{reason}}', 1, 'pass'],
      ],
    );
  });

  it('sends the earlier turns of its prompt × model and conversation as _conversation', async () => {
    writeFileSync(
      join(dir.path, 'chat.json'),
      [
        '[',
        '  {"role": "system", "content": "{{ system_message }}"},',
        '  {% for turn in _conversation %}',
        '  {"role": "user", "content": "{{ turn.input }}"},',
        '  {"role": "assistant", "content": "{{ turn.output }}"},',
        '  {% endfor %}',
        '  {"role": "user", "content": "{{ question }}"}',
        ']',
      ].join('\n'),
    );
    const config = join(dir.path, 'conversation.yaml');
    writeFileSync(
      config,
      [
        'prompts: [file://chat.json]',
        'providers:',
        `  - {id: "openai:chat:m1", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        `  - {id: "openai:chat:m2", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'defaultTest:',
        '  vars: {system_message: Be brief}',
        'tests:',
        '  - vars: {question: Who founded it?}',
        '    metadata: {conversationId: a}',
        '  - vars: {question: Where does he live?}',
        '    metadata: {conversationId: a}',
        '  - vars: {question: Rain today?}',
        '    metadata: {conversationId: b}',
        '  - vars: {question: Which state?}',
        '    metadata: {conversationId: a}',
        '    assert: [{type: contains, value: "Which state?"}]',
      ].join('\n'),
    );
    server.answer = (prompt) => `echo: ${prompt}`;
    server.requests.length = 0;
    const { code, report } = await evalCommand({ config, concurrency: 2, log: () => undefined });
    assert.equal(code, 0);
    const of = (model: string) =>
      sent()
        .filter((b) => b.model === model)
        .map((b) => b.messages.map((m) => `${m.role}: ${m.content}`));
    for (const model of ['m1', 'm2'])
      assert.deepEqual(of(model), [
        ['system: Be brief', 'user: Who founded it?'],
        [
          'system: Be brief',
          'user: Who founded it?',
          'assistant: echo: Who founded it?',
          'user: Where does he live?',
        ],
        // Another conversation of the same prompt × model starts with no turn.
        ['system: Be brief', 'user: Rain today?'],
        [
          'system: Be brief',
          'user: Who founded it?',
          'assistant: echo: Who founded it?',
          'user: Where does he live?',
          'assistant: echo: Where does he live?',
          'user: Which state?',
        ],
      ]);
    assert.deepEqual(
      report.rows.map((r) => [r.model, r.verdict]),
      [
        ['openai:chat:m1', 'pass'],
        ['openai:chat:m2', 'pass'],
        ['openai:chat:m1', 'pass'],
        ['openai:chat:m2', 'pass'],
        ['openai:chat:m1', 'pass'],
        ['openai:chat:m2', 'pass'],
        ['openai:chat:m1', 'pass'],
        ['openai:chat:m2', 'pass'],
      ],
    );
  });
});
