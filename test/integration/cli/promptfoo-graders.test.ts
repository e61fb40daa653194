/**
 * promptfoo's grader options through `prompt-cards eval`, in process, against the loopback
 * OpenAI-wire server (it plays both the model and the grader, named in
 * defaultTest.options.provider): a custom `rubricPrompt` (defaultTest's, a test's, one
 * assertion's; inline message lists and files) is rendered with the test's vars, `output` and
 * `rubric`, sent as the grader conversation, and its answer read as promptfoo documents
 * (https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/llm-rubric/):
 * `pass` decides, `score` defaults to pass, an explicit threshold also needs the score.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

interface Sent {
  model: string;
  messages: { role: string; content: string }[];
}

describe('eval: promptfoo rubricPrompt', () => {
  let server: WireServer;
  const dir = tempDir('pcs-graders-');
  before(async () => {
    server = await startWireServer('openai');
    // The grader's verdict is written in the rubric itself: "verdict: <json>".
    server.answer = (prompt) => {
      const verdict = /verdict: (\{.*?\})/.exec(prompt)?.[1];
      return verdict ?? `The capital is ${prompt}`;
    };
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('renders defaultTest, test and assertion rubricPrompts and reads pass/score as promptfoo', async () => {
    writeFileSync(
      join(dir.path, 'strict.json'),
      JSON.stringify([
        { role: 'system', content: 'You are a strict judge of {{ city }}.' },
        { role: 'user', content: 'FILE Output: {{ output }} Rubric: {{ rubric }}' },
      ]),
    );
    const config = join(dir.path, 'rubric.yaml');
    writeFileSync(
      config,
      [
        'prompts: ["{{city}}"]',
        'providers:',
        `  - {id: "openai:chat:model", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'defaultTest:',
        '  options:',
        '    provider: openai:chat:judge',
        '    rubricPrompt:',
        '      - {role: system, content: "Judge answers about {{ city }}."}',
        '      - {role: user, content: "Output: {{ output }}\\nRubric: {{ rubric }}"}',
        'tests:',
        '  - description: pass without a score',
        '    vars: {city: Paris}',
        '    assert: [{type: llm-rubric, value: \'names Paris verdict: {"pass": true}\'}]',
        '  - description: fail with a high score',
        '    vars: {city: Rome}',
        '    assert: [{type: llm-rubric, value: \'verdict: {"pass": false, "score": 0.9}\'}]',
        '  - description: an explicit threshold also needs the score',
        '    vars: {city: Oslo}',
        '    assert:',
        '      - type: llm-rubric',
        '        threshold: 0.95',
        '        value: \'verdict: {"pass": true, "score": 0.9, "reason": "close"}\'',
        '  - description: the test options prompt, from a file',
        '    vars: {city: Bern}',
        '    options: {rubricPrompt: file://strict.json}',
        '    assert: [{type: llm-rubric, value: \'verdict: {"pass": "yes"}\'}]',
        '  - description: one assertion has its own prompt (plain text)',
        '    vars: {city: Lima}',
        '    assert:',
        '      - type: llm-rubric',
        '        value: \'verdict: {"pass": false}\'',
        '        rubricPrompt: "OWN {{ city }} / {{ output }} / {{ rubric }}"',
        '  - description: no rubric text, the prompt says it all',
        '    vars: {city: Kyiv}',
        '    assert:',
        '      - type: llm-rubric',
        '        rubricPrompt: \'Judge {{ output }} verdict: {"pass": true, "score": 0.2}\'',
      ].join('\n'),
    );
    server.requests.length = 0;
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 1);
    const verdicts = Object.fromEntries(report.rows.map((r) => [r.test, r.verdict]));
    assert.deepEqual(verdicts, {
      'pass without a score': 'pass',
      'fail with a high score': 'fail',
      'an explicit threshold also needs the score': 'fail',
      'the test options prompt, from a file': 'pass',
      'one assertion has its own prompt (plain text)': 'fail',
      'no rubric text, the prompt says it all': 'pass',
    });
    const graded = server.requests
      .map((r) => r.body as Sent)
      .filter((b) => b.model === 'judge')
      .map((b) => b.messages);
    const paris = graded.find((m) => m[0]?.content.includes('Paris'));
    assert.deepEqual(paris, [
      { role: 'system', content: 'Judge answers about Paris.' },
      {
        role: 'user',
        content: 'Output: The capital is Paris\nRubric: names Paris verdict: {"pass": true}',
      },
    ]);
    const bern = graded.find((m) => m.some((x) => x.content.includes('Bern')));
    assert.equal(bern?.[0]?.content, 'You are a strict judge of Bern.');
    assert.match(bern?.[1]?.content ?? '', /^FILE Output: The capital is Bern Rubric: /);
    const lima = graded.find((m) => m.some((x) => x.content.includes('Lima')));
    assert.deepEqual(lima, [
      { role: 'user', content: 'OWN Lima / The capital is Lima / verdict: {"pass": false}' },
    ]);
  });

  it('refuses a rubric without text or prompt, and a rubricPrompt function, naming each', async () => {
    const refused = async (lines: readonly string[], pattern: RegExp) => {
      const config = join(dir.path, 'refused.yaml');
      writeFileSync(
        config,
        [
          'prompts: ["{{city}}"]',
          'providers:',
          `  - {id: "openai:chat:model", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
          'defaultTest: {options: {provider: openai:chat:judge}}',
          'tests:',
          ...lines,
        ].join('\n'),
      );
      await assert.rejects(
        evalCommand({ config, log: () => undefined }),
        (error: unknown) => error instanceof SuiteError && pattern.test(error.message),
      );
    };
    await refused(
      ['  - vars: {city: Paris}', '    assert: [{type: llm-rubric}]'],
      /tests\[0\]\.assert\[0\]\.value: must be the rubric text/,
    );
    await refused(
      [
        '  - vars: {city: Rome}',
        '    options: {rubricPrompt: file://grader.js}',
        '    assert: [{type: llm-rubric, value: polite}]',
      ],
      /file:\/\/grader\.js: rubricPrompt functions \(\.js, \.py\) run code outside a sandbox/,
    );
  });
});
