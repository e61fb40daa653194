/**
 * A service never stores or runs `python` assertions (any API caller could run code on the
 * server): without `allowLocalCode` (only the eval command calls it) the stored spec is refused,
 * naming why, and a spec that slipped through is not run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertionSpecSchema, evaluateAssertions } from '../../../src/assertions/index.js';

describe('python assertions on a service', () => {
  it('refuses the spec naming the eval command', () => {
    const parsed = assertionSpecSchema.safeParse({ type: 'python', value: 'True' });
    assert.equal(parsed.success, false);
    assert.match(parsed.error?.issues[0]?.message ?? '', /only the prompt-cards eval command/);
    assert.equal(
      assertionSpecSchema.safeParse({ type: 'not-python', value: 'True' }).success,
      false,
    );
  });

  it('does not run one that was stored', async () => {
    const evaluation = await evaluateAssertions([{ type: 'python', value: 'True' }], {
      output: 'x',
      latencyMs: 1,
      costUsd: null,
      signal: new AbortController().signal,
      embed: () => Promise.reject(new Error('unused')),
      grade: () => Promise.reject(new Error('unused')),
    });
    assert.equal(evaluation.results[0]?.pass, false);
    assert.match(evaluation.results[0]?.error ?? '', /run only in the prompt-cards eval command/);
  });
});
