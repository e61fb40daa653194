import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowLocalCode,
  ASSERTION_TYPES,
  assertionSpecSchema,
  combine,
  evaluateAssertions,
  type AssertionContext,
} from '../../../src/assertions/index.js';
import { hashedEmbedding } from '../../../src/providers/hashed-embedding.js';
import { structuredCases } from './structured-cases.js';

// As the eval command does: this process may run python assertions (a service may not).
allowLocalCode('python3');

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
    // Only the listed categories count: a flagged `hate` passes a check of `violence`.
    spec: { type: 'moderation', value: ['violence'] },
    pass: 'a calm reply [hate]',
    fail: 'a threat [violence]',
    bad: { type: 'moderation', value: 'violence' },
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
  {
    spec: { type: 'contains-any', value: ['Paris', 'Lyon'] },
    pass: 'Lyon is big',
    fail: 'Rome',
    bad: { type: 'contains-any', value: [] },
  },
  {
    spec: { type: 'contains-all', value: ['Paris', 'Lyon'] },
    pass: 'Paris and Lyon',
    fail: 'Paris only',
    bad: { type: 'contains-all', value: 3 },
  },
  {
    spec: { type: 'icontains-any', value: 'paris, lyon' },
    pass: 'LYON',
    fail: 'Rome',
    bad: { type: 'icontains-any', value: '' },
  },
  {
    spec: { type: 'icontains-all', value: ['paris', 'lyon'] },
    pass: 'PARIS, LYON',
    fail: 'PARIS',
    bad: { type: 'icontains-all', value: {} },
  },
  {
    spec: { type: 'javascript', value: "output.startsWith('Ahoy')" },
    pass: 'Ahoy there',
    fail: 'Hello',
    bad: { type: 'javascript', value: '' },
  },
  {
    spec: {
      type: 'is-valid-openai-tools-call',
      value: [
        {
          type: 'function',
          function: {
            name: 'weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
            },
          },
        },
      ],
    },
    pass: '[{"type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]',
    fail: '[{"type":"function","function":{"name":"weather","arguments":"{}"}}]',
    bad: { type: 'is-valid-openai-tools-call', value: 'weather' },
  },
  {
    spec: {
      type: 'is-valid-openai-function-call',
      value: [{ name: 'weather', parameters: { type: 'object', required: ['city'] } }],
    },
    pass: '{"name":"weather","arguments":"{\\"city\\":\\"Oslo\\"}"}',
    fail: '{"name":"other","arguments":"{}"}',
    bad: { type: 'is-valid-openai-function-call', value: {} },
  },
  {
    spec: { type: 'finish-reason', value: 'stop' },
    pass: 'x',
    fail: 'y',
    bad: { type: 'finish-reason', value: '' },
  },
  {
    spec: { type: 'is-refusal' },
    pass: "I'm sorry, but I can't help with that.",
    fail: 'The capital of France is Paris.',
    bad: { type: 'is-refusal', value: 'yes' },
  },
  {
    spec: { type: 'python', value: "'Paris' in output" },
    pass: 'The capital of France is Paris.',
    fail: 'Rome.',
    bad: { type: 'python', value: 5 },
  },
  // Model-graded kinds: the grader's answers are in graderContext below.
  {
    spec: { type: 'similar:cosine', value: 'the cat sat on the mat' },
    pass: 'the cat sat on the mat',
    fail: 'quarterly revenue grew',
    bad: { type: 'similar:cosine', value: [] },
  },
  {
    spec: { type: 'similar:dot', value: 'the cat sat on the mat' },
    pass: 'the cat sat on the mat',
    fail: 'quarterly revenue grew',
    bad: { type: 'similar:dot', value: 'x', threshold: -1 },
  },
  {
    spec: { type: 'similar:euclidean', value: 'the cat sat on the mat', threshold: 0.9 },
    pass: 'the cat sat on the mat',
    fail: 'quarterly revenue grew',
    bad: { type: 'similar:euclidean', value: 3 },
  },
  {
    spec: { type: 'g-eval', value: 'The reply is polite' },
    pass: 'Thank you kindly.',
    fail: 'Go away.',
    bad: { type: 'g-eval', value: [] },
  },
  {
    spec: { type: 'factuality', value: 'Paris is the capital of France' },
    pass: 'Paris.',
    fail: 'Rome.',
    bad: { type: 'factuality', value: '' },
  },
  {
    spec: { type: 'model-graded-closedqa', value: 'names a city' },
    pass: 'Paris.',
    fail: 'Blue.',
    bad: { type: 'model-graded-closedqa', value: 5 },
  },
  {
    spec: { type: 'answer-relevance' },
    pass: 'Paris is the capital of France.',
    fail: 'Bread needs flour.',
    bad: { type: 'answer-relevance', value: 'x' },
  },
  {
    spec: { type: 'context-faithfulness', threshold: 0.9 },
    pass: 'Paris is the capital. It is in France.',
    fail: 'Paris is the capital. It has 90 million people.',
    bad: { type: 'context-faithfulness', value: 'x' },
  },
  {
    spec: { type: 'context-recall', value: 'Paris is the capital of France.', threshold: 0.9 },
    pass: 'x',
    fail: 'y',
    bad: { type: 'context-recall', value: '' },
  },
  {
    spec: { type: 'context-relevance', threshold: 0.3 },
    pass: 'x',
    fail: 'y',
    bad: { type: 'context-relevance', threshold: 2 },
  },
  {
    spec: { type: 'levenshtein', value: 'Paris' },
    pass: 'Pariss',
    fail: 'The capital of France',
    bad: { type: 'levenshtein', value: ['Paris'] },
  },
  {
    spec: { type: 'rouge-n', value: 'the capital is Paris' },
    pass: 'the capital is Paris',
    fail: 'Rome',
    bad: { type: 'rouge-n', value: '' },
  },
  {
    spec: { type: 'bleu', value: ['the capital is Paris'] },
    pass: 'The capital is Paris',
    fail: 'Rome it is',
    bad: { type: 'bleu', value: [] },
  },
  {
    spec: { type: 'gleu', value: 'the capital is Paris' },
    pass: 'the capital is Paris.',
    fail: 'Rome it is',
    bad: { type: 'gleu', value: { text: 'x' } },
  },
  {
    spec: { type: 'meteor', value: 'the capital is Paris' },
    pass: 'the capital is Paris',
    fail: 'Rome it was',
    bad: { type: 'meteor', value: 7 },
  },
  {
    spec: { type: 'perplexity', threshold: 2 },
    pass: 'x',
    fail: 'y',
    bad: { type: 'perplexity', value: 'low' },
  },
  {
    spec: { type: 'perplexity-score', threshold: 0.4 },
    pass: 'x',
    fail: 'y',
    bad: { type: 'perplexity-score', threshold: 2 },
  },
  ...structuredCases,
];

/** A grader that answers by the first matching marker of its last message (else `fallback`). */
function grader(answers: readonly [RegExp, string][]): Partial<AssertionContext> {
  return {
    prompt: 'What is the capital of France?',
    vars: {
      query: 'What is the capital of France?',
      context: 'Paris is the capital of France. It rains often. Bread is cheap.',
    },
    askGrader: (messages) => {
      const last = messages.at(-1)?.content ?? '';
      const found = answers.find(([marker]) => marker.test(last));
      return Promise.resolve(found?.[1] ?? 'no answer for this prompt');
    },
  };
}

const STEPS: [RegExp, string] = [
  /^Evaluation criteria:(?![\s\S]*Reply:)/,
  '{"steps": ["Read it"]}',
];
const STATEMENTS: [RegExp, string] = [
  /^Question: .*\nAnswer:/,
  'Paris is the capital.\nIt is in France.',
];
const graderPass: Record<string, Partial<AssertionContext>> = {
  'g-eval': grader([STEPS, [/Reply:/, '{"score": 9, "reason": "polite"}']]),
  factuality: grader([[/Expert answer/, '{"category": "A", "reason": "a subset"}']]),
  'model-graded-closedqa': grader([[/Criterion/, 'It names Paris, a city.\nY']]),
  'answer-relevance': grader([[/^Answer:/, 'What is the capital of France?']]),
  'context-faithfulness': grader([
    STATEMENTS,
    [/Statements:/, 'Final verdict for each statement in order: Yes. Yes.'],
  ]),
  'context-recall': grader([
    [/Reference answer/, '1. Paris is the capital of France. [Attributed]'],
  ]),
  'context-relevance': grader([[/^Question:/, 'Paris is the capital of France.']]),
};
const graderFail: Record<string, Partial<AssertionContext>> = {
  'g-eval': grader([STEPS, [/Reply:/, '{"score": 2, "reason": "rude"}']]),
  factuality: grader([[/Expert answer/, '(D) It says Rome.']]),
  'model-graded-closedqa': grader([[/Criterion/, 'Blue is a colour.\nN']]),
  'answer-relevance': grader([[/^Answer:/, 'How is bread made?']]),
  'context-faithfulness': grader([
    STATEMENTS,
    [/Statements:/, 'Final verdict for each statement in order: Yes. No.'],
  ]),
  'context-recall': grader([
    [/Reference answer/, '1. Paris is the capital of France. [Not Attributed]'],
  ]),
  'context-relevance': grader([[/^Question:/, 'Insufficient Information']]),
};

/**
 * A moderation model that flags each category named in brackets (`[violence]`), with score
 * 0.9; the OpenAI wire is tested against the loopback server in
 * test/integration/cli/moderation.test.ts.
 */
const moderation: Partial<AssertionContext> = {
  moderate: (_model, text) =>
    Promise.resolve(
      [...text.matchAll(/\[([a-z/-]+)\]/g)].map((m) => ({ category: m[1] ?? '', score: 0.9 })),
    ),
};

/** Kinds that call the user's endpoint: tested against loopback endpoints in endpoint-kinds.test.ts. */
const ENDPOINT_KINDS = ['webhook', 'classifier'];
/** Graded across a row's outputs, not one output: see comparative.test.ts. */
const COMPARATIVE_KINDS = ['select-best', 'max-score'];

const failContext: Record<string, Partial<AssertionContext>> = {
  moderation,
  latency: { latencyMs: 900 },
  cost: { costUsd: 0.5 },
  'llm-rubric': { grade: () => Promise.resolve({ score: 0.2, reason: 'rude' }) },
  'finish-reason': { finishReason: 'length' },
  ...graderFail,
  // One token of probability 0.1: perplexity 10, score 1/11.
  perplexity: { logProbs: [Math.log(0.1)] },
  'perplexity-score': { logProbs: [Math.log(0.1)] },
};
const passContext: Record<string, Partial<AssertionContext>> = {
  moderation,
  'finish-reason': { finishReason: 'stop' },
  ...graderPass,
  // One token of probability 0.9: perplexity 1.11, score 0.47.
  perplexity: { logProbs: [Math.log(0.9)] },
  'perplexity-score': { logProbs: [Math.log(0.9)] },
};
/**
 * Kinds whose passing score is a measure below 1 (a similarity, a grader's score, a share,
 * METEOR's fragmentation penalty, a perplexity score).
 */
const partialScore = new Set([
  'similar',
  'llm-rubric',
  'g-eval',
  'answer-relevance',
  'context-relevance',
  'meteor',
  'perplexity-score',
]);

describe('assertion kinds', () => {
  it('covers every registered kind in this table', () => {
    assert.deepEqual(
      new Set([...cases.map((c) => c.spec.type), ...ENDPOINT_KINDS, ...COMPARATIVE_KINDS]),
      new Set(ASSERTION_TYPES),
    );
  });

  for (const c of cases) {
    const type = String(c.spec.type);
    it(`${type}: passes with score 1 on a matching output`, async () => {
      const result = await check(c.spec, c.pass, passContext[type]);
      assert.equal(result.pass, true, result.reason);
      assert.ok(result.score >= (partialScore.has(type) ? 0.3 : 0.999), `score ${result.score}`);
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

  it('passes a test case without assertions when the call succeeded, as promptfoo does', () => {
    assert.deepEqual(combine([]), { judged: true, pass: true, score: 1, results: [] });
  });
});

describe('promptfoo forms of every kind', () => {
  it('inverts any kind with not- (verdict and score)', async () => {
    const result = await check({ type: 'not-icontains', value: 'sorry' }, 'I am SORRY');
    assert.equal(result?.pass, false);
    assert.equal((await check({ type: 'not-is-json' }, 'plain text'))?.pass, true);
    assert.ok(invalid({ type: 'not-icontain', value: 'x' }).includes('type'));
  });

  it('applies transforms in order in the sandbox before the check', async () => {
    const result = await check(
      { type: 'equals', value: 'weather', transform: ['JSON.parse(output)', 'output[0].name'] },
      '[{"name":"weather"}]',
    );
    assert.equal(result?.pass, true, result?.reason);
    const broken = await check(
      { type: 'equals', value: 'x', transform: 'output.nope.deeper' },
      '1',
    );
    assert.equal(broken?.pass, false);
    assert.match(broken?.reason ?? '', /Transform failed: TypeError/);
    // As promptfoo: a transform that throws is the result's error, not a failed check.
    assert.equal(broken?.error_type, 'transform');
    assert.match(broken?.error ?? '', /transform failed: TypeError/);
  });

  it('gives javascript the parsed tool calls, vars and prompt as promptfoo does', async () => {
    const calls = '[{"function":{"name":"weather","arguments":"{}"}}]';
    const result = await check(
      {
        type: 'javascript',
        value:
          "output[0].function.name === 'weather' && context.vars.city === 'Oslo' && context.prompt === 'p'",
      },
      calls,
      { finishReason: 'tool_calls', vars: { city: 'Oslo' }, prompt: 'p' },
    );
    assert.equal(result?.pass, true, result?.reason);
  });

  it('fails javascript that loops, reaches for the host or throws, naming why', async () => {
    const loop = await check({ type: 'javascript', value: 'while (true) {}\nreturn true' }, 'x');
    assert.match(loop?.reason ?? '', /timed out/);
    const host = await check({ type: 'javascript', value: "require('fs')" }, 'x');
    assert.match(host?.reason ?? '', /require' is not defined/);
    const proc = await check({ type: 'javascript', value: 'typeof process === "undefined"' }, 'x');
    assert.equal(proc?.pass, true);
  });

  it('scores javascript numbers and grading results', async () => {
    const number = await check({ type: 'javascript', value: '0.4', threshold: 0.5 }, 'x');
    assert.deepEqual([number?.pass, number?.score], [false, 0.4]);
    const graded = await check(
      { type: 'javascript', value: "({ pass: true, score: 0.9, reason: 'fine' })" },
      'x',
    );
    assert.deepEqual([graded?.pass, graded?.score, graded?.reason], [true, 0.9, 'fine']);
  });
});
