/** The JavaScript sandbox as promptfoo's scripts use it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callInSandboxSync, prepareSandbox, runInSandbox } from '../../../src/util/index.js';

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

describe('module scope (a file run as CommonJS runs it)', () => {
  // Names the wrapper declares (fn, result, args, output, context) are the module's own to
  // declare at its top level, as they are in Node's CommonJS wrapper.
  const modules = [
    'const fn = (s) => String(s).toUpperCase();\nmodule.exports = fn;\n',
    'function fn(s) { return String(s).toUpperCase(); }\nmodule.exports = fn;\n',
    'const result = (s) => String(s).toUpperCase();\nmodule.exports = result;\n',
    "const args = '';\nmodule.exports = (s) => String(s).toUpperCase() + args;\n",
    "const output = '';\nconst context = '';\nmodule.exports = (s) => String(s).toUpperCase() + output + context;\n",
  ];

  it('a filter module may declare any top-level name', async () => {
    await prepareSandbox();
    for (const module of modules) assert.equal(callInSandboxSync(module, ['hi']), 'HI', module);
  });

  it('an assertion file may declare any top-level name', async () => {
    for (const module of modules) assert.equal(await runInSandbox(module, 'hi', {}), 'HI', module);
  });

  it("keeps a module's 'use strict' directive", async () => {
    await prepareSandbox();
    const strict =
      "'use strict';\nmodule.exports = () => { try { undeclared = 1; return 'sloppy'; } catch { return 'strict'; } };\n";
    assert.equal(callInSandboxSync(strict, []), 'strict');
    assert.equal(await runInSandbox(strict, '', {}), 'strict');
  });
});
