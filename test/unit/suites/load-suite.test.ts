/** Suite files: what is read, and how each problem names its file, path and line. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  assertionFromString,
  loadSuite,
  planSuite,
  SuiteError,
} from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir('pcs-suite-');
after(() => dir.remove());

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

async function issuesOf(path: string, skipUnsupported = false): Promise<string[]> {
  try {
    planSuite(await loadSuite(path), { skipUnsupported });
  } catch (error) {
    if (error instanceof SuiteError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('suite files', () => {
  it('reads promptfoo shorthand the way promptfoo does', () => {
    assert.deepEqual(assertionFromString('contains: Paris'), { type: 'contains', value: 'Paris' });
    assert.deepEqual(assertionFromString('is-json'), { type: 'is-json' });
    assert.deepEqual(assertionFromString('similar(0.9): a b'), {
      type: 'similar',
      value: 'a b',
      threshold: 0.9,
    });
    assert.deepEqual(assertionFromString('grade: polite'), { type: 'llm-rubric', value: 'polite' });
    assert.deepEqual(assertionFromString('fn: output.length'), {
      type: 'javascript',
      value: 'output.length',
    });
    assert.deepEqual(assertionFromString('Paris: the capital'), {
      type: 'equals',
      value: 'Paris: the capital',
    });
  });

  it('merges defaultTest, maps promptfoo spellings and plans one card per prompt', async () => {
    write(
      't.jsonl',
      '{"description":"j1","vars":{"x":"1"},"assert":[{"type":"latency","threshold":500}]}\n',
    );
    const plan = planSuite(
      await loadSuite(
        write(
          'ok.yaml',
          'prompts: ["a {{x}}", {raw: "b {{ x }}", label: B}]\nproviders: [simulated:fast, {id: "ollama:chat:llama3.1:8b", label: local, config: {temperature: 0.2, num_predict: 9}}]\ndefaultTest: {vars: {x: d}, assert: [{type: icontains, value: a}]}\ntests:\n  - {description: t1}\n  - file://t.jsonl\nevaluateOptions: {maxConcurrency: 7, repeat: 2}\n',
        ),
      ),
    );
    assert.deepEqual(
      plan.cards.map((c) => c.title),
      ['a {{x}}', 'B'],
    );
    assert.deepEqual(
      plan.providers.map((p) => [p.modelId, p.model, p.temperature, p.maxTokens]),
      [
        ['simulated:fast', 'fast', undefined, undefined],
        ['ollama:local', 'llama3.1:8b', 0.2, 9],
      ],
    );
    assert.deepEqual(
      plan.tests.map((t) => [t.key, t.vars, t.assertions.map((a) => a.type)]),
      [
        ['t1', { x: 'd' }, ['icontains']],
        ['j1', { x: '1' }, ['icontains', 'latency']],
      ],
    );
    assert.equal(plan.tests[1]?.assertions[1]?.value, 500);
    assert.deepEqual([plan.concurrency, plan.repeat], [7, 2]);
  });

  it('names unsupported keys, assertion kinds, providers and template syntax with their lines', async () => {
    const issues = await issuesOf(
      write(
        'bad.yaml',
        [
          'prompts:',
          '  - "hi {{ name | upper }}"',
          'providers:',
          '  - anthropic:messages:claude',
          'sharing: false',
          'tests:',
          '  - vars: {name: a}',
          '    assert:',
          '      - type: javascript',
          '        value: "1"',
        ].join('\n'),
      ),
    );
    assert.deepEqual(issues, [`${join(dir.path, 'bad.yaml')}:5: unsupported key "sharing"`]);
    const later = await issuesOf(
      write(
        'bad2.yaml',
        [
          'prompts:',
          '  - "hi {{ name | upper }}"',
          'providers:',
          '  - anthropic:messages:claude',
          'tests:',
          '  - vars: {name: a}',
          '    assert:',
          '      - type: javascript',
        ].join('\n'),
      ),
    );
    assert.equal(later.length, 3);
    assert.match(
      later[0] ?? '',
      /bad2\.yaml:4: providers\[0\]: unsupported provider "anthropic:messages:claude"/,
    );
    assert.match(later[1] ?? '', /prompts\[0\]: unsupported template syntax/);
    assert.match(
      later[2] ?? '',
      /bad2\.yaml:6: tests\[0\]\.assert\[0\]\.type: unsupported assertion type "javascript"/,
    );
  });

  it('names the CSV row line, the JSONL line and a missing variable', async () => {
    write('rows.csv', 'x,__threshold\n1,0.5\n2,7\n');
    assert.deepEqual(
      await issuesOf(
        write(
          'csv.yaml',
          'prompts: ["{{x}}"]\nproviders: [simulated:fast]\ntests: file://rows.csv\n',
        ),
      ),
      [`${join(dir.path, 'rows.csv')}:3: row 2.__threshold: must be a number between 0 and 1`],
    );
    write('lines.jsonl', '{"vars":{"x":"1"}}\n\n{"vars":{"x":"2"},"options":{}}\n');
    assert.deepEqual(
      await issuesOf(
        write(
          'jsonl.yaml',
          'prompts: ["{{x}} {{y}}"]\nproviders: [simulated:fast]\ntests: [file://lines.jsonl]\n',
        ),
      ),
      [`${join(dir.path, 'lines.jsonl')}:3: line 3: unsupported key(s) "options"`],
    );
    write('ok.jsonl', '{"vars":{"x":"1"}}\n');
    assert.deepEqual(
      await issuesOf(
        write(
          'vars.yaml',
          'prompts: ["{{x}} {{y}}"]\nproviders: [simulated:fast]\ntests: [file://ok.jsonl]\n',
        ),
      ),
      [`${join(dir.path, 'ok.jsonl')}:1: line 1.vars: missing variable(s) the prompts use: y`],
    );
  });

  it('keeps an unsupported assertion aside with skipUnsupported', async () => {
    const plan = planSuite(
      await loadSuite(
        write(
          'skip.yaml',
          'prompts: [hi]\nproviders: [simulated:fast]\ntests:\n  - assert: [{type: contains-json}, {type: contains, value: h}]\n',
        ),
      ),
      { skipUnsupported: true },
    );
    assert.deepEqual(plan.tests[0]?.skipped, [
      { type: 'contains-json', reason: 'unsupported assertion type' },
    ]);
    assert.deepEqual(
      plan.tests[0]?.assertions.map((a) => a.type),
      ['contains'],
    );
  });
});
