import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { exitCode, fraction, positiveInt } from '../../../src/cli/option-parsers.js';
import { failureExitCode } from '../../../src/cli/exit-codes.js';
import { CommandError } from '../../../src/cli/server-commands.js';

const LOOSE = ['0x10', '1e2', '0b1', '0o7', ' 5', '5 ', '', ' ', '+3', '-1', '1_000', 'Infinity'];

describe('CLI option values are read as decimal numbers only', () => {
  it('--exit-code-on-failure takes a decimal integer 0–255 and nothing else', () => {
    for (const good of ['0', '1', '100', '255', '007'])
      assert.equal(exitCode(good), Number(good), good);
    for (const bad of [...LOOSE, '256', '1.5', '1.0', 'NaN'])
      assert.throws(() => exitCode(bad), InvalidArgumentError, JSON.stringify(bad));
  });

  it('PROMPTFOO_FAILED_TEST_EXIT_CODE follows the same rule (exit 2 naming the variable)', () => {
    const code = (value: string) =>
      failureExitCode(undefined, { PROMPTFOO_FAILED_TEST_EXIT_CODE: value });
    assert.equal(code('100'), 100);
    assert.equal(code('0'), 0);
    assert.equal(code(''), 1);
    assert.equal(failureExitCode(undefined, {}), 1);
    assert.equal(failureExitCode(9, { PROMPTFOO_FAILED_TEST_EXIT_CODE: '0x10' }), 9);
    for (const bad of ['0x10', '1e2', '256', '-1', '1.5', 'x'])
      assert.throws(
        () => code(bad),
        (e: unknown) => {
          assert.ok(e instanceof CommandError);
          assert.match(
            e.message,
            /^PROMPTFOO_FAILED_TEST_EXIT_CODE=".*": must be a decimal integer from 0 to 255$/,
          );
          return true;
        },
      );
  });

  it('--repeat and -j take a positive decimal integer', () => {
    assert.equal(positiveInt('3'), 3);
    for (const bad of [...LOOSE, '0', '2.0', '1e1'])
      assert.throws(() => positiveInt(bad), InvalidArgumentError, JSON.stringify(bad));
  });

  it('--fail-under and --alpha take a decimal number from 0 to 1', () => {
    for (const [text, value] of [
      ['0', 0],
      ['1', 1],
      ['0.8', 0.8],
      ['.05', 0.05],
      ['1.0', 1],
    ] as const)
      assert.equal(fraction(text), value, text);
    for (const bad of [...LOOSE, '1e-1', '8e-1', '1.01', '2', '.', '0.', 'NaN'])
      assert.throws(() => fraction(bad), InvalidArgumentError, JSON.stringify(bad));
  });
});
