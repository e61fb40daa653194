/**
 * Bulk import and export of test cases.
 * - JSONL: one `{name, input_variables, expected_output?, assertions?}` object per line.
 * - CSV (RFC 4180, papaparse): a header row; `name`, `expected_output` and `assertions` (a JSON
 *   array) are those fields; `var:<name>` columns, and any other column, are input variables
 *   (text as written). Export writes `var:` columns, so a variable called `name` survives.
 * Problems are reported per line (1-based, header = line 1) instead of stopping the import.
 */
import Papa from 'papaparse';
import type { AssertionSpec, TemplateValue, TestCase, TestCaseInput } from '../api/types';

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportResult {
  cases: TestCaseInput[];
  problems: ImportProblem[];
}

const FIELD_COLUMNS = new Set(['name', 'expected_output', 'assertions']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toInput(raw: unknown): TestCaseInput | string {
  if (!isRecord(raw)) return 'must be a JSON object';
  if (typeof raw.name !== 'string' || raw.name.trim() === '') return 'name is required';
  const inputs = raw.input_variables ?? {};
  if (!isRecord(inputs)) return 'input_variables must be an object';
  const values: Record<string, TemplateValue> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (!['string', 'number', 'boolean'].includes(typeof value))
      return `input_variables.${key} must be a string, number or boolean`;
    values[key] = value as TemplateValue;
  }
  const assertions = raw.assertions ?? [];
  if (
    !Array.isArray(assertions) ||
    !assertions.every((a) => isRecord(a) && typeof a.type === 'string')
  )
    return 'assertions must be an array of {type, value}';
  const expected = raw.expected_output ?? null;
  if (expected !== null && typeof expected !== 'string') return 'expected_output must be text';
  return {
    name: raw.name,
    input_variables: values,
    expected_output: expected,
    assertions: assertions as AssertionSpec[],
  };
}

export function parseJsonl(text: string): ImportResult {
  const result: ImportResult = { cases: [], problems: [] };
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      result.problems.push({ line: index + 1, message: 'is not valid JSON' });
      return;
    }
    const input = toInput(parsed);
    if (typeof input === 'string') result.problems.push({ line: index + 1, message: input });
    else result.cases.push(input);
  });
  return result;
}

export function parseCsv(text: string): ImportResult {
  const parsed = Papa.parse<Record<string, string>>(text.trim(), {
    header: true,
    skipEmptyLines: true,
  });
  const result: ImportResult = { cases: [], problems: [] };
  for (const error of parsed.errors)
    result.problems.push({ line: (error.row ?? 0) + 2, message: error.message });
  parsed.data.forEach((row, index) => {
    const line = index + 2;
    let assertions: unknown = [];
    if ((row.assertions ?? '').trim() !== '') {
      try {
        assertions = JSON.parse(row.assertions ?? '');
      } catch {
        result.problems.push({ line, message: 'assertions is not valid JSON' });
        return;
      }
    }
    const inputs = Object.fromEntries(
      Object.entries(row)
        .filter(([key]) => !FIELD_COLUMNS.has(key))
        .map(([key, value]) => [key.replace(/^var:/, ''), value]),
    );
    const expected = (row.expected_output ?? '') === '' ? null : row.expected_output;
    const input = toInput({
      name: row.name,
      input_variables: inputs,
      expected_output: expected,
      assertions,
    });
    if (typeof input === 'string') result.problems.push({ line, message: input });
    else result.cases.push(input);
  });
  return result;
}

/** Picks the parser by file name (`.csv`, else JSONL). */
export function parseTestCases(fileName: string, text: string): ImportResult {
  return fileName.toLowerCase().endsWith('.csv') ? parseCsv(text) : parseJsonl(text);
}

function fields(testCase: TestCase): TestCaseInput {
  const { name, input_variables, expected_output, assertions } = testCase;
  return { name, input_variables, expected_output, assertions };
}

export function toJsonl(cases: readonly TestCase[]): string {
  return cases.map((c) => JSON.stringify(fields(c))).join('\n') + '\n';
}

/** CSV with one column per variable found in any case; parseCsv reads it back (values as text). */
export function toCsv(cases: readonly TestCase[]): string {
  const variables = [...new Set(cases.flatMap((c) => Object.keys(c.input_variables)))];
  const data = cases.map((c) => [
    c.name,
    ...variables.map((v) => String(c.input_variables[v] ?? '')),
    c.expected_output ?? '',
    JSON.stringify(c.assertions),
  ]);
  const fields = ['name', ...variables.map((v) => `var:${v}`), 'expected_output', 'assertions'];
  return Papa.unparse({ fields, data }, { newline: '\n' }) + '\n';
}
