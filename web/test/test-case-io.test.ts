import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCase } from '../src/api/types';
import Papa from 'papaparse';
import { resultsToCsv, resultsToJsonl } from '../src/lib/result-export';
import { importContentType, importProblems, toCsv, toJsonl } from '../src/lib/test-case-io';

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
  it('sends CSV, a JSON array and JSON Lines with the type the bulk route reads', () => {
    assert.equal(importContentType('cases.CSV'), 'text/csv');
    assert.equal(importContentType('cases.json'), 'application/json');
    assert.equal(importContentType('cases.jsonl'), 'application/x-ndjson');
  });

  it("shows the server's row problems at the file's line, in file order", () => {
    assert.deepEqual(
      importProblems([
        { field: 'rows.12.input_variables.city', message: 'is required by the template' },
        { field: 'rows.3', message: 'must be an object' },
        { field: 'body', message: 'has no rows' },
      ]),
      [
        { line: 0, message: 'file has no rows' },
        { line: 3, message: 'must be an object' },
        { line: 12, message: 'input_variables.city is required by the template' },
      ],
    );
  });

  it('exports CSV with var: columns (a variable called name survives) and JSONL', () => {
    const rows = Papa.parse<Record<string, string>>(toCsv(stored), {
      header: true,
      skipEmptyLines: true,
    }).data;
    assert.deepEqual(rows, [
      {
        name: 'Ada, "the first"',
        'var:name': 'Ada',
        'var:city': 'London',
        expected_output: '',
        assertions: '[{"type":"icontains","value":"Ada"}]',
      },
    ]);
    assert.deepEqual(JSON.parse(toJsonl(stored)), {
      name: stored[0].name,
      input_variables: stored[0].input_variables,
      expected_output: null,
      assertions: stored[0].assertions,
    });
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
      cached: false,
      finish_reason: null,
      refusal: null,
      reasoning: null,
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
