/**
 * promptfoo suites as users write them (features from promptfoo's documentation, one case
 * each), run by `prompt-cards eval` as CI runs it. The rest: `prompt-cards eval` as CI runs it: a separate process, a promptfoo configuration written from
 * promptfoo's documentation (test/fixtures/promptfoo), an `openai:chat:` provider whose
 * apiBaseUrl is a loopback OpenAI-wire server, and the verdicts its answers imply.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

// The loader by path: the command runs in a temporary folder, where `tsx` does not resolve.
const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(process.cwd(), 'src/cli/main.ts'), ...args],
      {
        cwd,
        env: { ...process.env, CI: 'true' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Row {
  prompt: string;
  test: string;
  verdict: string;
  not_evaluated: { type: string }[];
}

describe('prompt-cards eval on promptfoo suites as users write them', () => {
  let server: WireServer;
  const dir = tempDir('pcs-cli-pf-');
  before(async () => {
    server = await startWireServer('openai');
    // The model refuses; a grader (its prompt holds the rubric) says the rubric fails.
    server.answer = (prompt) =>
      prompt.includes('<rubric>')
        ? '{"score": 0, "reason": "the output says it cannot help"}'
        : 'I cannot help with that.';
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  function suite(name: string, lines: readonly string[]): string {
    writeFileSync(join(dir.path, name), lines.join('\n').replaceAll('API_BASE_URL', server.url));
    return name;
  }

  const rubric = [
    'prompts: ["Help me with {{ task }}"]',
    'providers:',
    '  - id: openai:chat:gpt-4o-mini',
    '    config: {apiBaseUrl: API_BASE_URL, apiKey: sk-from-file}',
    'tests:',
    '  - vars: {task: taxes}',
    '    assert:',
    '      - type: llm-rubric',
    '        value: The answer must never say I cannot help with that',
  ];

  it('never passes a rubric silently: exit 2 naming the three ways to name a grader', async () => {
    const out = await cli(['eval', '-c', suite('rubric.yaml', rubric)], dir.path);
    assert.equal(out.code, 2, out.stdout + out.stderr);
    assert.match(out.stderr, /defaultTest\.options\.provider.*--grader.*GRADER_MODEL/);
  });

  it("fails the rubric (exit 1) with a grader that answers fail, on the suite's server and key", async () => {
    server.requests.length = 0;
    const out = await cli(
      [
        'eval',
        '-c',
        suite('rubric.yaml', rubric),
        '--grader',
        'openai:gpt-4o-mini',
        '-o',
        'deep/er/out.json',
      ],
      dir.path,
    );
    assert.equal(out.code, 1, out.stdout + out.stderr);
    const chats = server.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.equal(chats.length, 2, 'the answer and the grade, both on the suite server');
    for (const chat of chats) assert.equal(chat.headers.authorization, 'Bearer sk-from-file');
    const report = JSON.parse(readFileSync(join(dir.path, 'deep/er/out.json'), 'utf8')) as {
      rows: Row[];
    };
    assert.equal(report.rows[0]?.verdict, 'fail');
  });

  it('runs javascript, transforms, Nunjucks, merge keys and provider request keys', async () => {
    server.requests.length = 0;
    const out = await cli(
      [
        'eval',
        '-c',
        suite('js.yaml', [
          'prompts: ["{{ greeting | upper }} {% if name %}{{ name }}{% endif %}"]',
          'providers:',
          '  - id: openai:gpt-4o-mini',
          '    config: {apiBaseUrl: API_BASE_URL, seed: 3, response_format: {type: text}}',
          'defaultTest:',
          '  vars: &v {greeting: hi}',
          'tests:',
          '  - vars: {<<: *v, name: Ann}',
          '    assert:',
          "      - {type: javascript, value: \"output.includes('cannot') && context.vars.name === 'Ann'\"}",
          '      - {type: equals, value: I, transform: "output.split(\' \')[0]"}',
          '      - {type: not-contains-any, value: [yes, sure]}',
          '  - vars: {greeting: yo, name: Bo}',
        ]),
      ],
      dir.path,
    );
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.match(
      out.stdout,
      /2\/2 passed/,
      'a test without assertions passes when the call succeeds',
    );
    const bodies = server.requests.map(
      (r) => r.body as { seed: number; response_format: unknown; messages: { content: string }[] },
    );
    assert.deepEqual(bodies.map((b) => b.messages[0]?.content).sort(), ['HI Ann', 'YO Bo']);
    for (const body of bodies) {
      assert.equal(body.seed, 3);
      assert.deepEqual(body.response_format, { type: 'text' });
    }
  });

  it('--skip-unsupported never hides a misspelled kind, and nothing evaluated fails', async () => {
    const typo = await cli(
      [
        'eval',
        '-c',
        suite('typo.yaml', [
          'prompts: [hi]',
          'providers: [{id: openai:x, config: {apiBaseUrl: API_BASE_URL}}]',
          'tests:',
          '  - assert: [{type: icontain, value: x}]',
        ]),
        '--skip-unsupported',
      ],
      dir.path,
    );
    assert.equal(typo.code, 2, typo.stdout + typo.stderr);
    assert.match(typo.stderr, /unknown assertion type "icontain" \(did you mean "icontains"\?\)/);
    const none = await cli(
      [
        'eval',
        '-c',
        suite('none.yaml', [
          'prompts: [hi]',
          'providers: [{id: openai:x, config: {apiBaseUrl: API_BASE_URL}}]',
          'tests:',
          '  - assert: [{type: ruby, value: "output.empty?"}]',
        ]),
        '--skip-unsupported',
      ],
      dir.path,
    );
    assert.equal(none.code, 1, none.stdout + none.stderr);
    assert.match(none.stdout, /nothing was evaluated/);
  });
});
