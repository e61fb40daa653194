/**
 * promptfoo configuration forms found in its published examples, each written here in
 * promptfoo's documented format: CSV metadata/metric/config columns, Nunjucks loop variables
 * in chat prompts, and `options.transformVars`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSuite, planSuite } from '../../../src/suites/index.js';
import { suiteFolder, suiteIssues } from '../../support/suite-files.js';

const dir = suiteFolder('pcs-pf-surface-');
const write = dir.write;
const issuesOf = (path: string) => suiteIssues(path);

describe('CSV tests: promptfoo special columns', () => {
  it('reads __metadata:<name>, __metadata:<name>[] lists, __metric and __config thresholds', async () => {
    write(
      'meta.csv',
      [
        'topic,__expected1,__expected2,__metadata:category,__metadata:tags[],__metric,__config:__expected2:threshold',
        '"ml","contains: algorithm","similar: an algorithm","technology","ai,data\\,science, algorithms","accuracy","0.8"',
        '"tea","contains: leaf","","","","",""',
      ].join('\n') + '\n',
    );
    const loaded = await loadSuite(
      write(
        'meta.yaml',
        'prompts: ["Tell me about {{topic}}"]\nproviders: [simulated:fast]\ntests: file://meta.csv\n',
      ),
    );
    const [first, second] = loaded.tests.map((t) => t.test);
    assert.deepEqual(first?.metadata, {
      category: 'technology',
      tags: ['ai', 'data,science', 'algorithms'],
    });
    assert.deepEqual(first?.assert, [
      { type: 'contains', value: 'algorithm', metric: 'accuracy' },
      { type: 'similar', value: 'an algorithm', metric: 'accuracy', threshold: 0.8 },
    ]);
    assert.equal(second?.metadata, undefined);
    assert.deepEqual(second?.assert, [{ type: 'contains', value: 'leaf' }]);
  });

  it('still refuses a special column it does not know, naming it', async () => {
    write('odd.csv', 'topic,__prefixx\n"a","b"\n');
    const issues = await issuesOf(
      write(
        'odd.yaml',
        'prompts: ["{{topic}}"]\nproviders: [simulated:fast]\ntests: file://odd.csv\n',
      ),
    );
    assert.equal(issues.length, 1);
    assert.match(issues[0] ?? '', /odd\.csv:1: column __prefixx: unsupported column "__prefixx"/);
  });
});

describe('chat prompt templates', () => {
  it('does not ask for variables a Nunjucks loop binds, but does for the ones it reads', async () => {
    write(
      'chat.json',
      '[\n  {% for message in previous_messages %}{% for role, content in message %}\n  {"role": "{{ role }}", "content": {{ content | dump }}},\n  {% endfor %}{% endfor %}\n  {"role": "user", "content": {{ question | dump }}}\n]\n',
    );
    const ok = 'prompts: [file://chat.json]\nproviders: [simulated:fast]\n';
    const plan = planSuite(
      await loadSuite(
        write(
          'chat-ok.yaml',
          `${ok}defaultTest:\n  vars:\n    previous_messages:\n      - user: Who founded Facebook?\n      - assistant: Mark Zuckerberg\ntests:\n  - vars: {question: Where does he live?}\n`,
        ),
      ),
    );
    assert.deepEqual(JSON.parse(plan.tests[0]?.prompts[0] ?? ''), [
      { role: 'user', content: 'Who founded Facebook?' },
      { role: 'assistant', content: 'Mark Zuckerberg' },
      { role: 'user', content: 'Where does he live?' },
    ]);
    const issues = await issuesOf(
      write('chat-missing.yaml', `${ok}tests:\n  - vars: {previous_messages: []}\n`),
    );
    assert.equal(issues.length, 1);
    assert.match(
      issues[0] ?? '',
      /tests\[0\]\.vars: missing variable\(s\) the prompts use: question$/,
    );
  });
});

describe('options.transformVars', () => {
  it('lays the returned vars over the test vars (inline, on defaultTest, and from a file)', async () => {
    write(
      'vars.js',
      'module.exports = (vars, context) => ({ shout: vars.topic.toUpperCase(), id: typeof context.uuid });\n',
    );
    const plan = planSuite(
      await loadSuite(
        write(
          'tv.yaml',
          [
            'prompts: ["{{topic}} {{image_markdown}} {{shout}}"]',
            'providers: [simulated:fast]',
            'defaultTest:',
            '  vars: {shout: "", image_markdown: ""}',
            '  options:',
            '    transformVars: |',
            '      return { ...vars, image_markdown: `![image](${vars.topic})` }',
            'tests:',
            '  - vars: {topic: cats}',
            '  - vars: {topic: dogs}',
            '    options: {transformVars: file://vars.js}',
            '  - vars: {topic: owls}',
            '    options: {transformVars: "{ shout: vars.topic + \'!\' }"}',
          ].join('\n') + '\n',
        ),
      ),
    );
    assert.deepEqual(
      plan.tests.map((t) => t.prompts[0]),
      ['cats ![image](cats) ', 'dogs  DOGS', 'owls  owls!'],
    );
    assert.equal(plan.tests[1]?.vars.id, 'string');
  });

  it('names the test when the code throws or returns no object', async () => {
    const issues = await issuesOf(
      write(
        'tv-bad.yaml',
        [
          'prompts: ["{{topic}}"]',
          'providers: [simulated:fast]',
          'tests:',
          '  - vars: {topic: a}',
          '    options:',
          '      transformVars: |',
          "        if (vars.topic === 'a') throw new Error('no vars today');",
          '        return vars;',
          '  - vars: {topic: b}',
          '    options: {transformVars: "42"}',
        ].join('\n') + '\n',
      ),
    );
    assert.equal(issues.length, 2);
    assert.match(
      issues[0] ?? '',
      /tests\[0\]\.options\.transformVars: transformVars failed: .*no vars today/,
    );
    assert.match(
      issues[1] ?? '',
      /tests\[1\]\.options\.transformVars: transformVars failed: must return an object of vars/,
    );
  });
});

describe('list-valued vars (promptfoo matrix)', () => {
  it('expands lists of strings only, keeps lists of objects whole, and obeys disableVarExpansion', async () => {
    const plan = planSuite(
      await loadSuite(
        write(
          'matrix.yaml',
          [
            'prompts: ["{{lang}} {{history | dump}}"]',
            'providers: [simulated:fast]',
            'defaultTest:',
            '  vars:',
            '    history: [{user: hi}, {assistant: hello}]',
            'tests:',
            '  - vars: {lang: [fr, de]}',
            '  - vars: {lang: [es, it]}',
            '    options: {disableVarExpansion: true}',
          ].join('\n') + '\n',
        ),
      ),
    );
    assert.deepEqual(
      plan.tests.map((t) => t.prompts[0]),
      [
        'fr [{"user":"hi"},{"assistant":"hello"}]',
        'de [{"user":"hi"},{"assistant":"hello"}]',
        'es,it [{"user":"hi"},{"assistant":"hello"}]',
      ],
    );
  });

  it('makes one test per file of a file:// glob var', async () => {
    write('a1.txt', 'first article');
    write('a2.txt', 'second article');
    const plan = planSuite(
      await loadSuite(
        write(
          'glob.yaml',
          'prompts: ["Summarize: {{article}}"]\nproviders: [simulated:fast]\ntests:\n  - vars: {article: "file://a*.txt"}\n',
        ),
      ),
    );
    assert.deepEqual(
      plan.tests.map((t) => t.prompts[0]),
      ['Summarize: first article', 'Summarize: second article'],
    );
  });
});

describe('features that need tests run in order', () => {
  it('plans storeOutputAs and a prompt reading _conversation as a suite run in order', async () => {
    write(
      'turns.json',
      '[{% for completion in _conversation %}{"role": "assistant", "content": "{{ completion.output }}"},{% endfor %}\n{"role": "user", "content": "{{ question }} {{ fruit }}"}]',
    );
    const plan = planSuite(
      await loadSuite(
        write(
          'ordered.yaml',
          [
            'prompts: [file://turns.json, "Why {{fruit}}?"]',
            'providers: [simulated:fast]',
            'tests:',
            '  - vars: {question: pick a fruit}',
            '    options: {storeOutputAs: fruit}',
            '    metadata: {conversationId: 7}',
            '  - vars: {question: why?}',
            '    storeOutputAs: reason',
            '    options: {disableConversationVar: true}',
          ].join('\n') + '\n',
        ),
      ),
    );
    assert.equal(plan.sequential, true);
    assert.deepEqual(
      plan.cards.map((c) => c.readsConversation),
      [true, false],
    );
    assert.deepEqual(
      plan.tests.map((t) => [t.storeOutputAs, t.conversationId, t.disableConversationVar]),
      [
        ['fruit', '7', false],
        ['reason', undefined, true],
      ],
    );
    // Before the run a stored answer is empty text and the conversation has no turn.
    assert.equal(plan.tests[0]?.prompts[1], 'Why ?');
    assert.equal(plan.tests[0]?.prompts[0], '[\n{"role": "user", "content": "pick a fruit "}]');
  });

  it('plans a suite without either as tests run apart', async () => {
    const plan = planSuite(
      await loadSuite(
        write(
          'apart.yaml',
          'prompts: ["Say {{w}}"]\nproviders: [simulated:fast]\ntests: [{vars: {w: a}}]\n',
        ),
      ),
    );
    assert.equal(plan.sequential, false);
  });

  it('still names a var no test stores as missing', async () => {
    const issues = await issuesOf(
      write(
        'missing.yaml',
        [
          'prompts: ["{{ question }} {{ frut }}"]',
          'providers: [simulated:fast]',
          'tests:',
          '  - vars: {question: q}',
          '    options: {storeOutputAs: fruit}',
        ].join('\n') + '\n',
      ),
    );
    assert.equal(issues.length, 1, issues.join('\n'));
    assert.match(issues[0] ?? '', /tests\[0\]\.vars: missing variable\(s\) the prompts use: frut/);
  });
});
