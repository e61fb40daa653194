import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ASSERTION_TYPES,
  assertionSpecSchema,
  combine,
  evaluateAssertions,
  type AssertionContext,
} from '../../../src/assertions/index.js';
import { hashedEmbedding } from '../../../src/providers/hashed-embedding.js';

function context(output: string, over: Partial<AssertionContext> = {}): AssertionContext {
  return {
    output,
    latencyMs: 120,
    costUsd: 0.002,
    signal: AbortSignal.timeout(5000),
    embed: (texts) => Promise.resolve(texts.map((t) => hashedEmbedding(t))),
    grade: () => Promise.resolve({ score: 0.7, reason: 'mostly right' }),
    ...over,
  };
}

async function check(
  spec: Record<string, unknown>,
  output: string,
  over: Partial<AssertionContext> = {},
) {
  const parsed = assertionSpecSchema.parse(spec);
  const evaluation = await evaluateAssertions([parsed], context(output, over));
  return evaluation.results[0];
}

function invalid(spec: Record<string, unknown>): string[] {
  const result = assertionSpecSchema.safeParse(spec);
  assert.equal(result.success, false, `expected ${JSON.stringify(spec)} to be rejected`);
  return result.error.issues.map((i) => i.path.join('.'));
}

/** Each kind: an output that passes, one that fails, and a value that is rejected at creation. */
const cases: {
  spec: Record<string, unknown>;
  pass: string;
  fail: string;
  bad: Record<string, unknown> | undefined;
}[] = [
  {
    spec: { type: 'equals', value: 'Paris' },
    pass: ' Paris\n',
    fail: 'paris',
    bad: { type: 'equals', value: 3 },
  },
  {
    spec: { type: 'contains', value: 'refund' },
    pass: 'we will refund you',
    fail: 'we will Refund you',
    bad: { type: 'contains', value: '' },
  },
  {
    spec: { type: 'icontains', value: 'REFUND' },
    pass: 'a refund',
    fail: 'a credit',
    bad: { type: 'icontains' },
  },
  {
    spec: { type: 'not-contains', value: 'fault' },
    pass: 'all good',
    fail: 'your fault',
    bad: { type: 'not-contains', value: ['x'] },
  },
  {
    spec: { type: 'starts-with', value: 'Dear' },
    pass: '\nDear Ada',
    fail: 'Hi Dear',
    bad: { type: 'starts-with', value: null },
  },
  {
    spec: { type: 'regex', value: '^P[123]$' },
    pass: 'P2',
    fail: 'P4',
    bad: { type: 'regex', value: '([a-z' },
  },
  {
    spec: { type: 'length', value: { min: 2, max: 5 } },
    pass: 'héllo',
    fail: 'too long text',
    bad: { type: 'length', value: { min: 5, max: 2 } },
  },
  {
    spec: { type: 'is-json' },
    pass: '```json\n{"a": 1}\n```',
    fail: '{a: 1}',
    bad: { type: 'is-json', value: 'x' },
  },
  {
    spec: {
      type: 'json-schema',
      value: { type: 'object', required: ['a'], properties: { a: { type: 'number' } } },
    },
    pass: '{"a": 1}',
    fail: '{"a": "1"}',
    bad: { type: 'json-schema', value: { type: 'no-such-type' } },
  },
  {
    spec: { type: 'latency', value: 500 },
    pass: 'x',
    fail: 'slow',
    bad: { type: 'latency', value: -1 },
  },
  {
    spec: { type: 'cost', value: 0.01 },
    pass: 'x',
    fail: 'expensive',
    bad: { type: 'cost', value: 'cheap' },
  },
  {
    spec: { type: 'similar', value: 'the cat sat on the mat', threshold: 0.6 },
    pass: 'the cat sat on the mat today',
    fail: 'quarterly revenue grew',
    bad: { type: 'similar', value: 'x', threshold: 2 },
  },
  {
    spec: { type: 'llm-rubric', value: 'is polite', threshold: 0.5 },
    pass: 'x',
    fail: 'rude',
    bad: { type: 'llm-rubric', value: '' },
  },
];

const failContext: Record<string, Partial<AssertionContext>> = {
  latency: { latencyMs: 900 },
  cost: { costUsd: 0.5 },
  'llm-rubric': { grade: () => Promise.resolve({ score: 0.2, reason: 'rude' }) },
};

describe('assertion kinds', () => {
  it('covers every registered kind in this table', () => {
    assert.deepEqual(new Set(cases.map((c) => c.spec.type)), new Set(ASSERTION_TYPES));
  });

  for (const c of cases) {
    const type = String(c.spec.type);
    it(`${type}: passes with score 1 on a matching output`, async () => {
      const result = await check(c.spec, c.pass);
      assert.equal(result.pass, true, result.reason);
      assert.ok(
        result.score >= (type === 'similar' || type === 'llm-rubric' ? 0.5 : 1),
        `score ${result.score}`,
      );
    });
    it(`${type}: fails on a non-matching output, with a reason`, async () => {
      const result = await check(c.spec, c.fail, failContext[type]);
      assert.equal(result.pass, false, result.reason);
      assert.ok(result.score < 1 && result.score >= 0);
      assert.ok(result.reason.length > 0);
    });
    it(`${type}: rejects bad parameters naming the field`, () => {
      const paths = invalid(c.bad!);
      assert.ok(
        paths.some((p) => p === 'value' || p.startsWith('value.') || p === 'threshold'),
        paths.join(),
      );
    });
  }

  it('rejects an unknown type naming the field', () => {
    assert.deepEqual(invalid({ type: 'telepathy', value: 'x' }), ['type']);
  });

  it('rejects a threshold on a kind that has none', () => {
    assert.deepEqual(invalid({ type: 'contains', value: 'x', threshold: 0.5 }), ['threshold']);
  });

  it('fails cost when the price is unknown', async () => {
    const result = await check({ type: 'cost', value: 1 }, 'x', { costUsd: null });
    assert.equal(result.pass, false);
    assert.match(result.reason, /unknown/i);
  });

  it('records an infrastructure failure as a failed assertion with its error', async () => {
    const result = await check({ type: 'similar', value: 'x' }, 'x', {
      embed: () => Promise.reject(new Error('embedding server down')),
    });
    assert.equal(result.pass, false);
    assert.equal(result.error, 'embedding server down');
  });
});

describe('combining assertion results', () => {
  it('scores the weighted mean and passes only when every assertion passes', () => {
    const combined = combine([
      { type: 'a', pass: true, score: 1, weight: 3, reason: '' },
      { type: 'b', pass: false, score: 0, weight: 1, reason: '' },
    ]);
    assert.equal(combined.score, 0.75);
    assert.equal(combined.pass, false);
  });

  it('does not pass a test case without assertions: nothing judged it', () => {
    assert.deepEqual(combine([]), { judged: false, pass: false, score: 0, results: [] });
  });
});
