/**
 * Suite checks at load time: a CSV tests file with a repeated header, a variable from a CSV
 * column (`{{name}}`), and Nunjucks templates (rubricPrompt, prompts) that do not parse are
 * each refused (or read) before any model call, naming file, path and the problem.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSuite, planSuite } from '../../../src/suites/index.js';
import { suiteFolder, suiteIssues } from '../../support/suite-files.js';

const dir = suiteFolder('pcs-suite-checks-');
const write = dir.write;
const issuesOf = (path: string) => suiteIssues(path);

const SUITE = (tests: string, extra = '') =>
  `prompts: ['Hello {{name}}']\nproviders: [simulated:fast]\n${extra}tests: ${tests}\n`;

describe('CSV tests files', () => {
  it('refuses a header that names a column twice, naming the file, the header and both columns', async () => {
    const csv = write('dup.csv', 'name,__expected,name\nAda,contains: A,Bob\n');
    const issues = await issuesOf(write('dup.yaml', SUITE('file://dup.csv')));
    assert.deepEqual(issues, [
      `${csv}:1: header: column "name" appears twice (columns 1 and 3); rename or remove one`,
    ]);
  });

  it('substitutes {{name}} from a CSV column "name", as promptfoo does', async () => {
    write('names.csv', 'name,__expected\nWorld,contains: World\n');
    const plan = planSuite(await loadSuite(write('names.yaml', SUITE('file://names.csv'))), {
      skipUnsupported: false,
    });
    assert.deepEqual(plan.tests[0]?.vars, { name: 'World' });
    assert.deepEqual(plan.tests[0]?.prompts, ['Hello World']);
  });
});

describe('Nunjucks templates are checked when the suite loads', () => {
  it('refuses a broken rubricPrompt on an assertion, naming file:line, path and the error', async () => {
    const path = write(
      'rubric.yaml',
      SUITE(
        `\n  - vars: {name: a}\n    assert:\n      - type: llm-rubric\n        value: polite\n        rubricPrompt: 'Grade {{ output '\n`,
      ),
    );
    assert.deepEqual(await issuesOf(path), [
      `${path}:4: tests[0].assert[0].rubricPrompt: is not a valid Nunjucks template: expected variable end`,
    ]);
  });

  it('refuses a broken options.rubricPrompt once, where it is written (defaultTest and a test)', async () => {
    const path = write(
      'options.yaml',
      SUITE(
        `\n  - vars: {name: a}\n    assert: [{type: llm-rubric, value: polite}]\n  - vars: {name: b}\n    options: {rubricPrompt: '[{"role": "user", "content": "{{ output }"}]'}\n    assert: [{type: llm-rubric, value: polite}]\n`,
        "defaultTest:\n  options:\n    rubricPrompt: '{% if %}{{ output }}'\n",
      ),
    );
    const issues = await issuesOf(path);
    assert.equal(issues.length, 2, issues.join('\n'));
    assert.match(
      issues[0] ?? '',
      /^.*options\.yaml:5: defaultTest\.options\.rubricPrompt: is not a valid Nunjucks template: .*unexpected token: %\}/,
    );
    assert.match(
      issues[1] ?? '',
      /^.*options\.yaml:\d+: tests\[1\]\.options\.rubricPrompt: is not a valid Nunjucks template: .*expected variable end/,
    );
  });

  it('refuses a prompt template that does not parse', async () => {
    const path = write(
      'prompt.yaml',
      "prompts: ['Hello {% if name %}{{ name }}']\nproviders: [simulated:fast]\ntests: [{vars: {name: a}}]\n",
    );
    const issues = await issuesOf(path);
    assert.equal(issues.length, 1, issues.join('\n'));
    assert.match(
      issues[0] ?? '',
      /prompt does not render \(Nunjucks\): .*expected elif, else, or endif/,
    );
  });
});
