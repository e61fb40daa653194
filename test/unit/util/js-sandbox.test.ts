/** The JavaScript sandbox as promptfoo's scripts use it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInSandbox } from '../../../src/util/index.js';

describe('runInSandbox', () => {
  it('gives scripts a console that writes nowhere (promptfoo examples log with it)', async () => {
    const code = [
      'module.exports = (output, context) => {',
      "  console.log('Prompt:', context.prompt);",
      '  console.warn(output); console.error(1); console.info(2); console.debug(3);',
      '  return { pass: output.includes(context.vars.topic), score: 0.75 };',
      '};',
    ].join('\n');
    assert.deepEqual(
      await runInSandbox(code, 'ripe bananas', { vars: { topic: 'bananas' }, prompt: 'p' }),
      { pass: true, score: 0.75 },
    );
  });

  it('still has no host objects beside it', async () => {
    assert.equal(
      await runInSandbox(
        'typeof require + typeof process + typeof fetch + typeof setTimeout',
        '',
        {},
      ),
      'undefinedundefinedundefinedundefined',
    );
  });
});
