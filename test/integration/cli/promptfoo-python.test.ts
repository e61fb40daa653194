/**
 * promptfoo's `python` assertion through `prompt-cards eval`, in process, against the loopback
 * OpenAI-wire server (it answers "The capital is <prompt>"), written as promptfoo documents it
 * (https://www.promptfoo.dev/docs/configuration/expected-outputs/python/): inline code (one
 * line returned, several lines a function body), `file://x.py` calling `get_assert(output,
 * context)` and `file://x.py:fn`, results as booleans, numbers and grading results, an
 * explicit threshold, code that raises, no network, and a missing interpreter (exit 2).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: promptfoo python assertions', () => {
  let server: WireServer;
  const dir = tempDir('pcs-python-');
  before(async () => {
    server = await startWireServer('openai');
    server.answer = (prompt) => `The capital is ${prompt}`;
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  function suite(tests: readonly string[]): string {
    const path = join(dir.path, 'python.yaml');
    writeFileSync(
      path,
      [
        'prompts: ["{{city}}"]',
        'providers:',
        `  - {id: "openai:chat:model", config: {apiBaseUrl: "${server.url}", apiKey: k}}`,
        'tests:',
        ...tests,
      ].join('\n'),
    );
    return path;
  }

  it('runs inline and file python with promptfoo verdicts', async () => {
    writeFileSync(
      join(dir.path, 'check.py'),
      [
        'def get_assert(output, context):',
        '    city = context["vars"]["city"]',
        '    ok = city in output and context["prompt"] == city',
        '    return {"pass": ok, "score": 1 if ok else 0, "reason": "mentions " + city}',
        '',
        'def ratio(output, context):',
        '    return 0.3',
      ].join('\n'),
    );
    const port = new URL(server.url).port;
    const config = suite([
      '  - {description: one line, vars: {city: Paris}, assert: [{type: python, value: "output.startswith(\'The capital\')"}]}',
      '  - {description: one line false, vars: {city: Rome}, assert: [{type: python, value: "len(output) > 1000"}]}',
      '  - description: a function body',
      '    vars: {city: Oslo}',
      '    assert:',
      '      - type: python',
      '        value: |',
      '          words = output.split()',
      '          return {"pass": words[-1] == context["vars"]["city"], "score": 0.75, "reason": "last word"}',
      '  - {description: get_assert of a file, vars: {city: Bern}, assert: [{type: python, value: file://check.py}]}',
      '  - {description: a named function under its threshold, vars: {city: Lima}, assert: [{type: python, value: "file://check.py:ratio", threshold: 0.5}]}',
      '  - {description: a score above zero, vars: {city: Kyiv}, assert: [{type: python, value: "0.3"}]}',
      '  - {description: code that raises, vars: {city: Baku}, assert: [{type: python, value: "1 / 0"}]}',
      '  - {description: not-python, vars: {city: Rome}, assert: [{type: not-python, value: "\'Rome\' in output"}]}',
      '  - description: the assertion config',
      '    vars: {city: Lima}',
      '    assert:',
      '      - type: python',
      "        value: \"any(w in output for w in context['config']['words'])\"",
      '        config: {words: [Lima, Cusco]}',
      `  - {description: no network, vars: {city: Doha}, assert: [{type: python, value: "__import__('socket').create_connection(('127.0.0.1', ${port}), 2) is not None"}]}`,
    ]);
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 1);
    const rows = new Map(report.rows.map((r) => [r.test, r]));
    const verdicts = Object.fromEntries([...rows].map(([k, r]) => [k, r.verdict]));
    assert.deepEqual(verdicts, {
      'one line': 'pass',
      'one line false': 'fail',
      'a function body': 'pass',
      'get_assert of a file': 'pass',
      'a named function under its threshold': 'fail',
      'a score above zero': 'pass',
      'code that raises': 'fail',
      'not-python': 'fail',
      'the assertion config': 'pass',
      'no network': 'fail',
    });
    const reason = (test: string) => rows.get(test)?.assertions[0]?.reason ?? '';
    assert.match(reason('code that raises'), /Python code execution failed: .*ZeroDivisionError/);
    assert.match(reason('get_assert of a file'), /mentions Bern/);
    assert.equal(rows.get('a function body')?.assertions[0]?.score, 0.75);
    assert.match(reason('no network'), /Python code execution failed/);
  });

  it('exits 2 naming the interpreter when Python cannot start', async () => {
    const config = suite(['  - {vars: {city: Paris}, assert: [{type: python, value: "True"}]}']);
    process.env.PROMPTFOO_PYTHON = join(dir.path, 'no-such-python');
    try {
      await assert.rejects(
        evalCommand({ config, log: () => undefined }),
        (error: unknown) =>
          error instanceof SuiteError && /python assertions need Python 3/.test(error.message),
      );
    } finally {
      delete process.env.PROMPTFOO_PYTHON;
    }
  });
});
