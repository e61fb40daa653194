/**
 * A simulated model that does not exist is refused when the suite is planned (exit 2, the
 * file and path named, "did you mean"), not reported as an error in every result: as a
 * provider, as the suite's grader or embedding model, and as --grader or GRADER_MODEL.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { SuiteError } from '../../../src/suites/index.js';
import { tempDir } from '../../support/temp-dir.js';

describe('eval: unknown simulated models are refused at plan time', () => {
  const dir = tempDir('pcs-plan-models-');
  after(() => dir.remove());

  const refused = async (
    lines: readonly string[],
    patterns: readonly RegExp[],
    options: { grader?: string } = {},
  ) => {
    const config = join(dir.path, 'suite.yaml');
    writeFileSync(config, lines.join('\n'));
    await assert.rejects(evalCommand({ config, log: () => undefined, ...options }), (error) => {
      assert.ok(error instanceof SuiteError, String(error));
      assert.ok(error.message.includes(config), error.message);
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    });
  };

  it('refuses provider simulated:nope naming it, its path and the known models', async () => {
    await refused(
      ['prompts: ["Say {{w}}"]', 'providers: [simulated:nope]', 'tests: [{vars: {w: a}}]'],
      [/providers/, /unknown simulated model "nope" in "simulated:nope"/, /known: fast, slow/],
    );
  });

  it('says "did you mean" for a misspelled simulated model', async () => {
    await refused(
      ['prompts: ["Say {{w}}"]', 'providers: [simulated:fsat]', 'tests: [{vars: {w: a}}]'],
      [/did you mean "simulated:fast"/],
    );
  });

  it('refuses an unknown simulated grader and embedding model in the suite', async () => {
    await refused(
      [
        'prompts: ["Say {{w}}"]',
        'providers: [simulated:fast]',
        'defaultTest:',
        '  options: {provider: {text: simulated:grder, embedding: simulated:embd}}',
        'tests: [{vars: {w: a}, assert: [{type: llm-rubric, value: polite}]}]',
      ],
      [
        /defaultTest\.options\.provider.*did you mean "simulated:grader"/,
        /options\.provider\.embedding.*did you mean "simulated:embed"/,
      ],
    );
  });

  it('refuses an unknown simulated --grader and GRADER_MODEL', async () => {
    const suite = [
      'prompts: ["Say {{w}}"]',
      'providers: [simulated:fast]',
      'tests: [{vars: {w: a}, assert: [{type: llm-rubric, value: polite}]}]',
    ];
    await refused(suite, [/--grader/, /"simulated:nope"/], { grader: 'simulated:nope' });
    const before = process.env.GRADER_MODEL;
    process.env.GRADER_MODEL = 'simulated:gradr';
    try {
      await refused(suite, [/GRADER_MODEL/, /did you mean "simulated:grader"/]);
    } finally {
      if (before === undefined) delete process.env.GRADER_MODEL;
      else process.env.GRADER_MODEL = before;
    }
  });
});
