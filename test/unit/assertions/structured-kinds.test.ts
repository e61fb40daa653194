/**
 * promptfoo's structured-output kinds, with the verdicts its documentation gives
 * (promptfoo.dev/docs/configuration/expected-outputs/deterministic): each kind's documented
 * value forms, a `not-` case and a refused value (the path names the field).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertionSpecSchema,
  evaluateAssertions,
  type AssertionContext,
} from '../../../src/assertions/index.js';
import { jsonBlocks } from '../../../src/assertions/json-blocks.js';

function context(output: string, outputValue?: unknown): AssertionContext {
  return {
    output,
    ...(outputValue === undefined ? {} : { outputValue }),
    latencyMs: 1,
    costUsd: 0,
    signal: AbortSignal.timeout(10_000),
    embed: () => Promise.reject(new Error('no embeddings here')),
    grade: () => Promise.reject(new Error('no grader here')),
  };
}

async function verdict(spec: Record<string, unknown>, output: string, outputValue?: unknown) {
  const evaluation = await evaluateAssertions(
    [assertionSpecSchema.parse(spec)],
    context(output, outputValue),
  );
  const result = evaluation.results[0];
  assert.ok(result !== undefined);
  return result;
}

async function passes(spec: Record<string, unknown>, output: string, expected: boolean) {
  const result = await verdict(spec, output);
  assert.equal(result.pass, expected, `${JSON.stringify(spec)} on ${output}: ${result.reason}`);
  return result;
}

function refusedAt(spec: Record<string, unknown>): string[] {
  const result = assertionSpecSchema.safeParse(spec);
  assert.equal(result.success, false, `expected ${JSON.stringify(spec)} to be refused`);
  return [...new Set(result.error.issues.map((i) => i.path.join('.')))];
}

describe('contains-json', () => {
  it('finds a JSON object or array in prose, fences included', async () => {
    await passes({ type: 'contains-json' }, 'Sure! {"color": "Yellow"} Anything else?', true);
    await passes({ type: 'contains-json' }, 'The list:\n```json\n[1, 2, 3]\n```', true);
    await passes({ type: 'contains-json' }, 'It\'s {name}, not JSON; a "quote', false);
    await passes({ type: 'contains-json' }, 'no braces at all', false);
  });

  it('validates against a JSON Schema value (object or its JSON text): one match suffices', async () => {
    const schema = {
      type: 'object',
      required: ['color', 'location'],
      properties: { color: { type: 'string' }, location: { type: 'string' } },
    };
    const two = 'First {"color": 1} then {"color": "Yellow", "location": "Guatemala"}';
    await passes({ type: 'contains-json', value: schema }, two, true);
    await passes({ type: 'contains-json', value: JSON.stringify(schema) }, two, true);
    const none = await passes({ type: 'contains-json', value: schema }, 'Only {"color": 1}', false);
    assert.match(none.reason, /location/);
    // A nested object is found inside a list that itself does not match.
    await passes(
      { type: 'contains-json', value: schema },
      'Results: [{"color": "Red", "location": "Peru"}]',
      true,
    );
  });

  it('not-contains-json passes on text without JSON and fails when JSON matches', async () => {
    await passes({ type: 'not-contains-json' }, 'plain words', true);
    await passes({ type: 'not-contains-json' }, 'data: {"a": 1}', false);
    await passes({ type: 'not-contains-json', value: { required: ['b'] } }, '{"a": 1}', true);
  });

  it('refuses a value that is not a JSON Schema', () => {
    assert.deepEqual(refusedAt({ type: 'contains-json', value: { type: 'strang' } }), ['value']);
    assert.deepEqual(refusedAt({ type: 'contains-json', value: 'not json' }), ['value']);
    assert.deepEqual(refusedAt({ type: 'contains-json', value: [1] }), ['value']);
  });

  it('stays within its work budget on deeply nested brackets', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const found = jsonBlocks(deep, { budget: 100_000 });
    assert.equal(found.truncated, true);
    assert.ok(found.values.length >= 1);
  });
});

describe('is-xml and contains-xml', () => {
  const doc = '<analysis><classification>positive</classification><summary>ok</summary></analysis>';

  it('is-xml: a well-formed document with one root passes; broken or prose fails', async () => {
    await passes({ type: 'is-xml' }, doc, true);
    await passes({ type: 'is-xml' }, `<?xml version="1.0"?>\n${doc}\n`, true);
    await passes({ type: 'is-xml' }, '<analysis><summary>ok</analysis>', false);
    await passes({ type: 'is-xml' }, `Here it is: ${doc}`, false);
    await passes({ type: 'is-xml' }, '<a/><b/>', false);
    await passes({ type: 'is-xml' }, '<a href=x/>', false);
    const entities = await passes(
      { type: 'is-xml' },
      '<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><r>&b;</r>',
      false,
    );
    assert.match(entities.reason, /DTD internal subsets are not supported/);
    await passes({ type: 'is-xml' }, '<!DOCTYPE note SYSTEM "note.dtd"><note>x</note>', true);
  });

  it('requires elements by dotted path, in all three value forms', async () => {
    for (const value of [
      'analysis.classification,analysis.summary',
      ['analysis.classification', 'analysis.summary'],
      { requiredElements: ['analysis.classification', 'analysis.summary'] },
    ])
      await passes({ type: 'is-xml', value }, doc, true);
    const missing = await passes({ type: 'is-xml', value: ['analysis.sentiment'] }, doc, false);
    assert.match(missing.reason, /missing required elements: analysis\.sentiment/);
  });

  it('contains-xml: XML inside prose passes, with required elements from any fragment', async () => {
    await passes({ type: 'contains-xml' }, `The result:\n${doc}\nHope this helps.`, true);
    await passes(
      { type: 'contains-xml', value: 'summary' },
      'First <note>x</note> and then <summary>y</summary>.',
      true,
    );
    await passes({ type: 'contains-xml' }, 'No markup, only a < b and c > d.', false);
    await passes({ type: 'contains-xml', value: ['analysis.sentiment'] }, doc, false);
  });

  it('not-is-xml and not-contains-xml invert the verdict', async () => {
    await passes({ type: 'not-is-xml' }, 'plain text', true);
    await passes({ type: 'not-is-xml' }, doc, false);
    await passes({ type: 'not-contains-xml' }, `text ${doc}`, false);
  });

  it('refuses a value that names no elements', () => {
    assert.deepEqual(refusedAt({ type: 'is-xml', value: { elements: ['a'] } }), ['value']);
    assert.deepEqual(refusedAt({ type: 'contains-xml', value: true }), ['value']);
  });
});

describe('is-sql and contains-sql', () => {
  it('parses as the database type (MySQL by default)', async () => {
    await passes({ type: 'is-sql' }, 'SELECT id, name FROM users WHERE id = 1', true);
    await passes({ type: 'is-sql' }, 'SELECT FROM WHERE', false);
    await passes({ type: 'is-sql' }, 'The answer is 42.', false);
    const pg = { type: 'is-sql', value: { databaseType: 'PostgreSQL' } };
    await passes(pg, 'SELECT id FROM users WHERE name ILIKE $1', true);
  });

  it('checks the allow-lists of tables and columns', async () => {
    const value = {
      databaseType: 'MySQL',
      allowedTables: ['select::null::departments'],
      allowedColumns: ['select::null::name', 'select::null::id'],
    };
    await passes({ type: 'is-sql', value }, 'SELECT id, name FROM departments', true);
    const table = await passes({ type: 'is-sql', value }, 'SELECT id FROM employees', false);
    assert.match(table.reason, /authority = 'select::null::employees' is required in table/);
    const column = await passes({ type: 'is-sql', value }, 'SELECT salary FROM departments', false);
    assert.match(column.reason, /select::null::salary/);
    // Entries are patterns over the whole authority, ignoring case.
    await passes(
      { type: 'is-sql', value: { allowedTables: ['(select|update)::null::DEPART.*'] } },
      'UPDATE departments SET name = "x" WHERE id = 1',
      true,
    );
  });

  it('contains-sql reads the first code block, else the whole output', async () => {
    await passes(
      { type: 'contains-sql' },
      'Here is the query:\n```sql\nSELECT * FROM orders\n```\nIt lists all orders.',
      true,
    );
    await passes({ type: 'contains-sql' }, 'SELECT * FROM orders', true);
    await passes({ type: 'contains-sql' }, 'Here:\n```\nnot sql at all\n```', false);
  });

  it('not-is-sql passes on prose and fails on SQL', async () => {
    await passes({ type: 'not-is-sql' }, 'I would rather not.', true);
    await passes({ type: 'not-is-sql' }, 'SELECT 1', false);
  });

  it('refuses an unknown database type, a non-object value and a pattern RE2 cannot run', () => {
    assert.deepEqual(refusedAt({ type: 'is-sql', value: { databaseType: 'Oracle' } }), [
      'value.databaseType',
    ]);
    assert.deepEqual(refusedAt({ type: 'contains-sql', value: 'MySQL' }), ['value']);
    assert.deepEqual(refusedAt({ type: 'is-sql', value: { allowedTables: ['(a)\\1'] } }), [
      'value.allowedTables.0',
    ]);
  });
});

describe('is-html', () => {
  it("follows promptfoo's rules", async () => {
    await passes({ type: 'is-html' }, '<!DOCTYPE html><html><body><p>Hi</p></body></html>', true);
    await passes({ type: 'is-html' }, '<div class="card"><p>Hello</p></div>', true);
    await passes({ type: 'is-html' }, '<user-card name="a"></user-card>', true);
    await passes({ type: 'is-html' }, 'Hello <b>world</b>', false);
    await passes({ type: 'is-html' }, '<foo>bar</foo>', false);
    await passes({ type: 'is-html' }, '<?xml version="1.0"?><p>x</p>', false);
    await passes({ type: 'is-html' }, '   ', false);
  });

  it('not-is-html passes on plain text', async () => {
    await passes({ type: 'not-is-html' }, 'Just text.', true);
    await passes({ type: 'not-is-html' }, '<p>x</p>', false);
  });

  it('refuses a value', () => {
    assert.deepEqual(refusedAt({ type: 'is-html', value: 'strict' }), ['value']);
  });
});

describe('word-count', () => {
  it('counts words split on whitespace: exact, min, max, range', async () => {
    await passes({ type: 'word-count', value: 5 }, '  The quick  brown\nfox jumps ', true);
    await passes({ type: 'word-count', value: '5' }, 'The quick brown fox jumps', true);
    await passes({ type: 'word-count', value: 4 }, 'The quick brown fox jumps', false);
    await passes({ type: 'word-count', value: { min: 10 } }, 'The quick brown fox', false);
    await passes({ type: 'word-count', value: { max: 4 } }, 'The quick brown fox', true);
    await passes({ type: 'word-count', value: { min: 2, max: 3 } }, 'a b c d', false);
  });

  it('not-word-count inverts', async () => {
    await passes({ type: 'not-word-count', value: { max: 3 } }, 'a b c d', true);
    await passes({ type: 'not-word-count', value: 1 }, 'one', false);
  });

  it('refuses values that are not a count or a range', () => {
    assert.deepEqual(refusedAt({ type: 'word-count' }), ['value']);
    assert.deepEqual(refusedAt({ type: 'word-count', value: 'many' }), ['value']);
    assert.deepEqual(refusedAt({ type: 'word-count', value: { min: 9, max: 2 } }), ['value']);
    assert.deepEqual(refusedAt({ type: 'word-count', value: { least: 2 } }), ['value']);
  });
});

describe('tool-call-f1', () => {
  const called = (...names: string[]) =>
    JSON.stringify(
      names.map((name) => ({ type: 'function', function: { name, arguments: '{}' } })),
    );

  it('scores F1 of the called names against the expected ones (default threshold 1)', async () => {
    const exact = await passes(
      { type: 'tool-call-f1', value: ['search', 'book'] },
      called('book', 'search'),
      true,
    );
    assert.equal(exact.score, 1);
    const half = await passes(
      { type: 'tool-call-f1', value: 'search, book' },
      called('search'),
      false,
    );
    assert.ok(Math.abs(half.score - 2 / 3) < 1e-9, String(half.score));
    await passes(
      { type: 'tool-call-f1', value: 'search,book', threshold: 0.6 },
      called('search'),
      true,
    );
    const extra = await verdict(
      { type: 'tool-call-f1', value: ['search'] },
      called('search', 'cancel'),
    );
    assert.ok(Math.abs(extra.score - 2 / 3) < 1e-9);
    await passes({ type: 'tool-call-f1', value: ['search'] }, 'I cannot call tools.', false);
  });

  it('reads the shapes of OpenAI, Anthropic and Google, parsed or as JSON lines in text', async () => {
    const spec = { type: 'tool-call-f1', value: ['lookup'] };
    await passes(spec, '{"tool_calls": [{"function": {"name": "lookup"}}]}', true);
    await passes(spec, '{"type": "tool_use", "name": "lookup", "input": {}}', true);
    await passes(spec, '{"functionCall": {"name": "lookup", "args": {}}}', true);
    await passes(spec, 'Calling now:\n{"type": "function_call", "name": "lookup"}\nDone.', true);
    const parsed = await verdict(spec, 'ignored', [{ function: { name: 'lookup' } }]);
    assert.equal(parsed.pass, true);
  });

  it('not-tool-call-f1 passes when the F1 is below the threshold', async () => {
    await passes({ type: 'not-tool-call-f1', value: ['search'] }, called('book'), true);
    await passes({ type: 'not-tool-call-f1', value: ['search'] }, called('search'), false);
  });

  it('refuses an empty list and a threshold outside [0, 1]', () => {
    assert.deepEqual(refusedAt({ type: 'tool-call-f1', value: [' ', ''] }), ['value']);
    assert.deepEqual(refusedAt({ type: 'tool-call-f1', value: {} }), ['value']);
    assert.ok(refusedAt({ type: 'tool-call-f1', value: 'a', threshold: 2 }).includes('threshold'));
  });
});
