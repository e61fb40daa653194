/**
 * promptfoo's structured-output assertion kinds through `prompt-cards eval`: a suite written in
 * promptfoo's documented format against the loopback OpenAI-wire server, which answers each
 * prompt with the prompt itself (so each test's `answer` var is the model's output) and with
 * tool calls for the prompt "CALL TOOLS". Each test's verdict is the one promptfoo's
 * documentation gives. A bad assertion value is exit 2 naming file:line and the field.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');

function chatAnswer(message: Record<string, unknown>, model: string, finish: string) {
  return {
    id: 'chatcmpl-structured',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
    usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
  };
}

const TESTS: [description: string, answer: string, assertion: string, verdict: string][] = [
  [
    'json in prose with schema',
    'Result: {"city": "Oslo", "temp": 3} (metric)',
    '{type: contains-json, value: {type: object, required: [city, temp]}}',
    'pass',
  ],
  ['no json', 'Sunny and mild.', '{type: not-contains-json}', 'pass'],
  [
    'json missing field',
    'Result: {"city": "Oslo"}',
    '{type: contains-json, value: {required: [temp]}}',
    'fail',
  ],
  [
    'xml document',
    '<note><to>Ada</to><body>Hi</body></note>',
    '{type: is-xml, value: {requiredElements: [note.to, note.body]}}',
    'pass',
  ],
  ['xml in prose', 'Here: <note><to>Ada</to></note>', '{type: is-xml}', 'fail'],
  [
    'xml fragment',
    'Here: <note><to>Ada</to></note>',
    '{type: contains-xml, value: note.to}',
    'pass',
  ],
  [
    'sql allowed',
    'SELECT name FROM users',
    '{type: is-sql, value: {databaseType: MySQL, allowedTables: ["select::null::users"]}}',
    'pass',
  ],
  [
    'sql other table',
    'SELECT name FROM salaries',
    '{type: is-sql, value: {allowedTables: ["select::null::users"]}}',
    'fail',
  ],
  ['sql in a code block', 'Query:\n```sql\nSELECT 1\n```', '{type: contains-sql}', 'pass'],
  ['html', '<ul><li>one</li></ul>', '{type: is-html}', 'pass'],
  ['bare text', 'one two', '{type: is-html}', 'fail'],
  ['few words', 'one two', '{type: word-count, value: {min: 3}}', 'fail'],
  ['words negated', 'one two three four', '{type: not-word-count, value: {max: 3}}', 'pass'],
];

describe('eval: promptfoo structured-output kinds', () => {
  let server: WireServer;
  const dir = tempDir('pcs-structured-');
  before(async () => {
    server = await startWireServer('openai');
    server.chatBody = (prompt, model) =>
      prompt === 'CALL TOOLS'
        ? chatAnswer(
            {
              content: null,
              tool_calls: [
                { id: 'c1', type: 'function', function: { name: 'search', arguments: '{}' } },
                { id: 'c2', type: 'function', function: { name: 'book', arguments: '{}' } },
              ],
            },
            model,
            'tool_calls',
          )
        : chatAnswer({ content: prompt }, model, 'stop');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('gives the verdicts promptfoo documents for each kind, not- included', async () => {
    const config = join(dir.path, 'promptfooconfig.yaml');
    const tests = TESTS.flatMap(([description, answer, assertion]) => [
      `  - description: ${JSON.stringify(description)}`,
      `    vars: {answer: ${JSON.stringify(answer)}}`,
      `    assert: [${assertion}]`,
    ]);
    writeFileSync(
      config,
      [
        'prompts: ["{{answer}}"]',
        `providers: [{id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}]`,
        'tests:',
        ...tests,
        '  - description: tools all called',
        '    vars: {answer: CALL TOOLS}',
        '    assert: [{type: tool-call-f1, value: [search, book]}]',
        '  - description: tools partly expected',
        '    vars: {answer: CALL TOOLS}',
        '    assert: [{type: tool-call-f1, value: "search,book,pay", threshold: 0.9}]',
      ].join('\n'),
    );
    const { code, report } = await evalCommand({ config, log: () => undefined });
    const verdicts = Object.fromEntries(report.rows.map((r) => [r.test, r.verdict]));
    assert.deepEqual(verdicts, {
      ...Object.fromEntries(TESTS.map(([description, , , verdict]) => [description, verdict])),
      'tools all called': 'pass',
      'tools partly expected': 'fail',
    });
    const partly = report.rows.find((r) => r.test === 'tools partly expected');
    assert.ok(Math.abs((partly?.assertions[0]?.score ?? 0) - 0.8) < 1e-9);
    assert.equal(code, 1);
  });

  it('refuses a bad value with exit 2 naming file:line and the field', async () => {
    const config = join(dir.path, 'bad.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{answer}}"]',
        `providers: [{id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}]`,
        'tests:',
        '  - vars: {answer: x}',
        '    assert:',
        '      - {type: word-count, value: {min: 9, max: 2}}',
        '      - {type: is-sql, value: {databaseType: Oracle}}',
      ].join('\n'),
    );
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [
        '--import',
        TSX,
        join(process.cwd(), 'src/cli/main.ts'),
        'eval',
        '-c',
        config,
      ]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(out.code, 2, out.stderr);
    assert.match(
      out.stderr,
      /bad\.yaml:\d+: tests\[0\]\.assert\[0\]\.value: min must not exceed max/,
    );
    assert.match(
      out.stderr,
      /bad\.yaml:\d+: tests\[0\]\.assert\[1\]\.value\.databaseType: must be one of/,
    );
  });
});
