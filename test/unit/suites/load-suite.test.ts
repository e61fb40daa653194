/** Suite files: what is read, and how each problem names its file, path and line. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertionFromString, loadSuite, planSuite } from '../../../src/suites/index.js';
import { suiteFolder, suiteIssues } from '../../support/suite-files.js';

const dir = suiteFolder('pcs-suite-');
const write = dir.write;
const issuesOf = suiteIssues;

describe('suite files', () => {
  it('reads promptfoo shorthand the way promptfoo does', () => {
    assert.deepEqual(assertionFromString('contains: Paris'), { type: 'contains', value: 'Paris' });
    assert.deepEqual(assertionFromString('is-json'), { type: 'is-json' });
    assert.deepEqual(assertionFromString('contains-sql'), { type: 'contains-sql' });
    assert.deepEqual(assertionFromString('not-contains-xml'), { type: 'not-contains-xml' });
    assert.deepEqual(assertionFromString('word-count: 50'), { type: 'word-count', value: '50' });
    assert.deepEqual(assertionFromString('tool-call-f1(0.5): search,book'), {
      type: 'tool-call-f1',
      value: 'search,book',
      threshold: 0.5,
    });
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

  it('names every refusal of a file at once, each with the feature and a did-you-mean', async () => {
    const issues = await issuesOf(
      write(
        'bad.yaml',
        [
          'prompts:',
          '  - "hi {{ name | upper }}"',
          'providers:',
          '  - anthropic:messages:claude',
          '  - id: openai:gpt-4o-mini',
          '    config: {temprature: 0}',
          'tests:',
          '  - vars: {name: a}',
          '    asert: []',
          '    assert:',
          '      - type: icontain',
          '        value: x',
        ].join('\n'),
      ),
    );
    const file = join(dir.path, 'bad.yaml');
    assert.deepEqual(issues.sort(), [
      `${file}:11: tests[0].assert[0].type: unknown assertion type "icontain" (did you mean "icontains"?)`,
      `${file}:4: providers[0]: unsupported provider "anthropic:messages:claude" (supported: openai:chat:<model>, openai:<model>, ollama:chat:<model>, ollama:<model>, simulated:<model>)`,
      `${file}:6: providers[1].config: unsupported key "temprature" at providers[1].config (did you mean "temperature"?)`,
      `${file}:9: tests[0]: unsupported key "asert" at tests[0] (did you mean "assert"?)`,
    ]);
  });

  it('names the feature where a union would say only "Invalid input"', async () => {
    const issues = await issuesOf(
      write(
        'union.yaml',
        'prompts: [{raw: a, lable: b}]\nproviders: [simulated:fast]\ntests: [{vars: {}}]\ndefaultTest: {options: {provider: {id: openai:x, confg: {}}}}\n',
      ),
    );
    assert.ok(issues.length >= 2, issues.join('\n'));
    for (const issue of issues) assert.doesNotMatch(issue, /Invalid input/);
    assert.ok(
      issues.some((i) => /prompts\[0\]: unsupported key "lable"/.test(i)),
      issues.join('\n'),
    );
    assert.ok(
      issues.some((i) => /unsupported key "confg"/.test(i)),
      issues.join('\n'),
    );
  });

  it('refuses a kind promptfoo has and we do not run, saying why, unless skipped', async () => {
    const path = write(
      'py.yaml',
      'prompts: [hi]\nproviders: [simulated:fast]\ntests:\n  - assert: [{type: ruby, value: output.empty?}]\n',
    );
    const issues = await issuesOf(path);
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /"ruby": ruby assertions run code outside a sandbox/);
    assert.deepEqual(await issuesOf(path, true), []);
  });

  it('refuses select-best and max-score with fewer than two outputs, with promptfoo message', async () => {
    const path = write(
      'one-output.yaml',
      'prompts: [hi]\nproviders: [simulated:fast]\ndefaultTest: {options: {provider: simulated:grader}}\ntests:\n  - assert: [{type: contains, value: a}, {type: select-best, value: x}, {type: max-score}]\n',
    );
    const issues = await issuesOf(path);
    assert.equal(issues.length, 2, issues.join('\n'));
    assert.match(
      issues[0] ?? '',
      /max-score assertion must have at least two outputs to compare between/,
    );
    assert.match(
      issues[1] ?? '',
      /select-best assertion must have at least two outputs to compare between/,
    );
    assert.equal((await issuesOf(path, true)).length, 2, 'not set aside by --skip-unsupported');
  });

  it('reads promptfoo suites as written: keys, merge keys, Nunjucks, chat files, vars', async () => {
    write(
      'chat.json',
      '[{"role": "system", "content": "Be {{ tone }}"}, {"role": "user", "content": "{{ q }}"}]',
    );
    write('topic.txt', 'the sea');
    write('tools.yaml', '- type: function\n  function: {name: f, parameters: {type: object}}\n');
    const plan = planSuite(
      await loadSuite(
        write(
          'full.yaml',
          [
            'prompts:',
            '  - id: file://chat.json',
            '    label: chat',
            '  - "{% for c in colours %}{{ c | upper }} {% endfor %}{{ q }}"',
            'providers:',
            '  - id: openai:gpt-4o-mini',
            '    prompts: [chat]',
            '    config: &cfg',
            '      apiKey: sk-in-file',
            '      seed: 7',
            '      response_format: {type: json_object}',
            '      tools: file://tools.yaml',
            '  - id: openai:chat:gpt-4o',
            '    config: *cfg',
            'defaultTest:',
            '  options: {provider: openai:gpt-4o-mini, transform: output.trim()}',
            '  vars: &base {tone: kind}',
            'tests:',
            '  - vars:',
            '      <<: *base',
            '      q: "About {{ topic }}"',
            '      topic: file://topic.txt',
            '      colours: [red, blue]',
            '    options: {disableVarExpansion: true}',
            '    assert:',
            '      - {type: contains-any, value: [a, b], metric: M, transform: output}',
            '      - {type: is-valid-openai-tools-call}',
            'derivedMetrics: [{name: D, value: M * 2}]',
          ].join('\n'),
        ),
      ),
    );
    assert.deepEqual(
      plan.cards.map((c) => [c.title, c.models]),
      [
        ['chat', ['openai:gpt-4o-mini', 'openai:chat:gpt-4o']],
        ['{% for c in colours %}{{ c | upper }} {% endfor %}{{ q }}', ['openai:chat:gpt-4o']],
      ],
      'the first provider runs only the prompt it names',
    );
    const [test] = plan.tests;
    assert.equal(
      test?.prompts[0],
      '[{"role": "system", "content": "Be kind"}, {"role": "user", "content": "About the sea"}]',
    );
    assert.equal(test?.prompts[1], 'RED BLUE About the sea');
    assert.deepEqual(test?.assertions[0]?.transform, ['output.trim()', 'output']);
    assert.deepEqual((test?.assertions[1]?.value as unknown[]).length, 1);
    assert.equal(plan.grader, 'openai:gpt-4o-mini');
    assert.deepEqual(plan.providers[1]?.body, {
      seed: 7,
      response_format: { type: 'json_object' },
      tools: plan.providers[0]?.body.tools,
    });
    assert.equal(plan.providers[1]?.apiKey, 'sk-in-file');
  });

  it('makes one test per value of a list var (promptfoo matrix)', async () => {
    const plan = planSuite(
      await loadSuite(
        write(
          'matrix.yaml',
          'prompts: ["{{a}}{{b}}"]\nproviders: [simulated:fast]\ntests:\n  - description: m\n    vars: {a: [x, y], b: [1, 2]}\n',
        ),
      ),
    );
    assert.deepEqual(
      plan.tests.map((t) => [t.key, t.prompts[0]]),
      [
        ['m [1]', 'x1'],
        ['m [2]', 'x2'],
        ['m [3]', 'y1'],
        ['m [4]', 'y2'],
      ],
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
    write('lines.jsonl', '{"vars":{"x":"1"}}\n\n{"vars":{"x":"2"},"opts":{}}\n');
    assert.deepEqual(
      await issuesOf(
        write(
          'jsonl.yaml',
          'prompts: ["{{x}} {{y}}"]\nproviders: [simulated:fast]\ntests: [file://lines.jsonl]\n',
        ),
      ),
      [`${join(dir.path, 'lines.jsonl')}:3: line 3: unsupported key(s) "opts"`],
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
          'prompts: [hi]\nproviders: [simulated:fast]\ntests:\n  - assert: [{type: ruby}, {type: contains, value: h}]\n',
        ),
      ),
      { skipUnsupported: true },
    );
    assert.deepEqual(plan.tests[0]?.skipped, [
      { type: 'ruby', reason: 'ruby assertions run code outside a sandbox' },
    ]);
    assert.deepEqual(
      plan.tests[0]?.assertions.map((a) => a.type),
      ['contains'],
    );
  });

  it("plans promptfoo's structured-output kinds instead of setting them aside", async () => {
    const kinds = [
      '{type: contains-json}',
      '{type: not-is-xml}',
      '{type: contains-xml, value: {requiredElements: [a.b]}}',
      '{type: is-sql, value: {databaseType: PostgreSQL}}',
      '{type: contains-sql}',
      '{type: is-html}',
      '{type: word-count, value: {max: 50}}',
      '{type: tool-call-f1, value: [search], threshold: 0.5}',
    ];
    const plan = planSuite(
      await loadSuite(
        write(
          'structured.yaml',
          `prompts: [hi]\nproviders: [simulated:fast]\ntests:\n  - assert: [${kinds.join(', ')}]\n`,
        ),
      ),
      { skipUnsupported: true },
    );
    assert.deepEqual(plan.tests[0]?.skipped, []);
    assert.deepEqual(
      plan.tests[0]?.assertions.map((a) => a.type),
      [
        'contains-json',
        'not-is-xml',
        'contains-xml',
        'is-sql',
        'contains-sql',
        'is-html',
        'word-count',
        'tool-call-f1',
      ],
    );
  });
});
