import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertionSpecSchema, evaluateAssertions } from '../../../src/assertions/index.js';

const context = (output: string) => ({
  output,
  latencyMs: 1,
  costUsd: null,
  signal: AbortSignal.timeout(60_000),
  embed: () => Promise.reject(new Error('unused')),
  grade: () => Promise.reject(new Error('unused')),
});

function problems(spec: unknown): string[] {
  const parsed = assertionSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('user patterns on a linear-time engine', () => {
  it('matches the catastrophic-backtracking examples at once, with the right verdict', async () => {
    const nested = await evaluateAssertions(
      [
        { type: 'regex', value: '^(a+)+$' },
        { type: 'regex', value: '^(a|a)*$' },
      ],
      context(`${'a'.repeat(29)}!`),
    );
    assert.deepEqual(
      nested.results.map((r) => r.pass),
      [false, false],
    );
    const plain = await evaluateAssertions(
      [{ type: 'regex', value: '^(a+)+$' }],
      context('a'.repeat(28)),
    );
    assert.equal(plain.pass, true);
  });

  it('rejects at write time what RE2 cannot run, naming value', () => {
    for (const value of ['(a)\\1', 'foo(?=bar)', '(?<!x)y', '([a-z']) {
      const found = problems({ type: 'regex', value });
      assert.equal(found.length, 1, value);
      assert.match(found[0] ?? '', /^value: is not a regular expression the linear-time/, value);
    }
    assert.deepEqual(problems({ type: 'regex', value: '(?i)^p[123]$' }), []);
  });

  it('runs json-schema pattern keywords on the same engine', async () => {
    assert.match(
      problems({ type: 'json-schema', value: { type: 'string', pattern: '(a)\\1' } })[0] ?? '',
      /^value: is not a valid JSON Schema/,
    );
    const evaluation = await evaluateAssertions(
      [
        {
          type: 'json-schema',
          value: {
            type: 'object',
            properties: { word: { type: 'string', pattern: '^(a+)+$' } },
            patternProperties: { '^(x|x)*$': { type: 'number' } },
          },
        },
      ],
      context(JSON.stringify({ word: `${'a'.repeat(40)}!` })),
    );
    assert.equal(evaluation.pass, false);
    assert.match(evaluation.results[0]?.reason ?? '', /must match pattern/);
  });
});
