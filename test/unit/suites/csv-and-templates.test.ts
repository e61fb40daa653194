/**
 * Suite checks at load time: a CSV tests file with a repeated header, a variable from a CSV
 * column (`{{name}}`), and Nunjucks templates (rubricPrompt, prompts) that do not parse are
 * each refused (or read) before any model call, naming file, path and the problem.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadSuite, planSuite, SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir('pcs-suite-checks-');
after(() => dir.remove());

function write(name: string, text: string): string {
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

async function issuesOf(path: string): Promise<string[]> {
  try {
    planSuite(await loadSuite(path), { skipUnsupported: false });
  } catch (error) {
    if (error instanceof SuiteError) return error.message.split('\n');
    throw error;
  }
  return [];
}

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
