/** promptfoo's `scenarios`: every config entry crossed with every test, vars merged. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSuite, planSuite, SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir('pcs-scenarios-');
after(() => dir.remove());

function write(name: string, lines: readonly string[]): string {
  const path = join(dir.path, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('scenarios', () => {
  it('expands each config entry × each test, the test’s vars over the entry’s', async () => {
    const plan = planSuite(
      await loadSuite(
        write('s.yaml', [
          'prompts: ["{{language}}: {{input}}"]',
          'providers: [simulated:fast]',
          'tests: [{description: plain, vars: {language: en, input: hi}}]',
          'scenarios:',
          '  - description: translate',
          '    config:',
          '      - vars: {language: French, input: unused}',
          '        assert: [{type: contains, value: French}]',
          '      - vars: {language: German}',
          '    tests:',
          '      - description: hello',
          '        vars: {input: Hello}',
          '        assert: [{type: icontains, value: hello}]',
          '      - description: bye',
          '        vars: {input: Bye}',
        ]),
      ),
    );
    assert.deepEqual(
      plan.tests.map((t) => [t.key, t.prompts[0], t.assertions.map((a) => a.type)]),
      [
        ['plain', 'en: hi', []],
        ['translate / config 1 / hello', 'French: Hello', ['contains', 'icontains']],
        ['translate / config 1 / bye', 'French: Bye', ['contains']],
        ['translate / config 2 / hello', 'German: Hello', ['icontains']],
        ['translate / config 2 / bye', 'German: Bye', []],
      ],
    );
  });

  it('refuses a malformed scenario with its file and line', async () => {
    const path = write('bad.yaml', [
      'prompts: ["{{a}}"]',
      'providers: [simulated:fast]',
      'scenarios:',
      '  - description: no config',
      '    tests: [{vars: {a: x}}]',
      '  - config: [{vars: {a: y}}]',
      '    tests: [{vars: file://vars.yaml}]',
    ]);
    const error = await loadSuite(path).then(
      (loaded) => planSuite(loaded),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SuiteError);
    assert.match(error.message, /bad\.yaml:4.*scenarios\[0\]\.config/);
  });

  it('refuses file vars inside a scenario, naming the line', async () => {
    const path = write('filevars.yaml', [
      'prompts: ["{{a}}"]',
      'providers: [simulated:fast]',
      'scenarios:',
      '  - config: [{vars: {a: y}}]',
      '    tests:',
      '      - vars: file://vars.yaml',
    ]);
    const error = await loadSuite(path).then(
      (loaded) => planSuite(loaded),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SuiteError);
    assert.match(error.message, /filevars\.yaml:6.*scenarios\[0\]\.tests\[0\]\.vars/);
  });
});
