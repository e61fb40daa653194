import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCase } from '../src/api/types';
import Papa from 'papaparse';
import { resultsToCsv, resultsToJsonl } from '../src/lib/result-export';
import { parseCsv, parseJsonl, parseTestCases, toCsv, toJsonl } from '../src/lib/test-case-io';

const stored: TestCase[] = [
  {
    id: 'x',
    prompt_card_id: 'c',
    name: 'Ada, "the first"',
    input_variables: { name: 'Ada', city: 'London' },
    expected_output: null,
    assertions: [{ type: 'icontains', value: 'Ada' }],
    created_at: '',
    updated_at: '',
  },
];

describe('test case import and export', () => {
  it('reads JSONL and reports bad lines by number', () => {
    const parsed = parseJsonl(
      '{"name":"a","input_variables":{"x":1}}\n\nnot json\n{"input_variables":{}}\n{"name":"b","assertions":"no"}\n',
    );
    assert.equal(parsed.cases.length, 1);
    assert.deepEqual(parsed.cases[0], {
      name: 'a',
      input_variables: { x: 1 },
      expected_output: null,
      assertions: [],
    });
    assert.deepEqual(parsed.problems, [
      { line: 3, message: 'is not valid JSON' },
      { line: 4, message: 'name is required' },
      { line: 5, message: 'assertions must be an array of {type, value}' },
    ]);
  });

  it('reads CSV: name, expected_output and assertions columns, every other column a variable', () => {
    const parsed = parseCsv(
      'name,city,expected_output,assertions\n"Ada, the first",London,,"[{""type"":""icontains"",""value"":""Ada""}]"\nBob,Paris,Hi,{bad\n',
    );
    assert.deepEqual(parsed.cases, [
      {
        name: 'Ada, the first',
        input_variables: { city: 'London' },
        expected_output: null,
        assertions: [{ type: 'icontains', value: 'Ada' }],
      },
    ]);
    assert.deepEqual(parsed.problems, [{ line: 3, message: 'assertions is not valid JSON' }]);
  });

  it('round-trips its own exports', () => {
    assert.deepEqual(parseJsonl(toJsonl(stored)).cases, [
      {
        name: stored[0].name,
        input_variables: stored[0].input_variables,
        expected_output: null,
        assertions: stored[0].assertions,
      },
    ]);
    assert.deepEqual(parseTestCases('cases.CSV', toCsv(stored)).cases[0]?.input_variables, {
      name: 'Ada',
      city: 'London',
    });
    assert.equal(parseTestCases('cases.CSV', toCsv(stored)).cases[0]?.name, 'Ada, "the first"');
  });
});

describe('result export', () => {
  it('writes one CSV row per result with the test case name, verdict and assertion reasons', () => {
    const result = {
      id: 'r',
      run_id: 'run',
      test_case_id: 't1',
      model: 'simulated:fast',
      repetition: 2,
      rendered_prompt: 'p',
      output: 'Hello, "Ada"',
      latency_ms: 12,
      input_tokens: 3,
      output_tokens: 4,
      cost_usd: null,
      assertions: [{ type: 'icontains', pass: false, score: 0, weight: 1, reason: 'no "Bob"' }],
      score: 0,
      passed: false,
      judged: true,
      error: null,
      simulated: true,
      attempts: 1,
      created_at: '',
    };
    const rows = Papa.parse<Record<string, string>>(
      resultsToCsv([result], new Map([['t1', 'Ada']])),
      {
        header: true,
        skipEmptyLines: true,
      },
    ).data;
    assert.deepEqual(
      rows.map((r) => [r.test_case, r.repetition, r.verdict, r.output, r.cost_usd, r.assertions]),
      [['Ada', '2', 'failed', 'Hello, "Ada"', '', 'icontains fail: no "Bob"']],
    );
    assert.deepEqual(JSON.parse(resultsToJsonl([result]).trim()), result);
  });
});
