import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExpectedOutput, combine } from '../../../src/assertions/index.js';

describe('expected output', () => {
  const pass = (
    expected: string,
    output: string,
    match: Parameters<typeof checkExpectedOutput>[2],
  ) => checkExpectedOutput(expected, output, match).pass;

  it('compares by the configured rule', () => {
    assert.equal(pass('Berlin', 'Berlin', 'exact'), true);
    assert.equal(pass('Berlin', ' Berlin\n', 'exact'), false);
    assert.equal(pass('Berlin', ' Berlin\n', 'trimmed'), true);
    assert.equal(pass('Berlin', 'berlin', 'trimmed'), false);
    assert.equal(pass('Berlin', ' BERLIN ', 'case-insensitive'), true);
    assert.equal(pass('Berlin', 'It is Berlin.', 'contains'), true);
    assert.equal(pass('Berlin', 'It is berlin.', 'contains'), false);
    assert.equal(pass('Berlin', 'It is BERLIN.', 'icontains'), true);
    assert.equal(pass('Berlin', 'The answer is Paris', 'icontains'), false);
  });

  it('scores 1 or 0 with weight 1, and says why', () => {
    const result = checkExpectedOutput('Berlin', 'Paris', 'trimmed');
    assert.deepEqual([result.type, result.score, result.weight], ['expected_output', 0, 1]);
    assert.match(result.reason, /does not match the expected output "Berlin"/);
  });

  it('passes without a check (a successful call), as promptfoo does', () => {
    assert.deepEqual(combine([]), { judged: true, pass: true, score: 1, results: [] });
  });
});
