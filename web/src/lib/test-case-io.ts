/**
 * Import and export of test cases. Import sends the file as it is to the server's bulk route,
 * which checks every row and stores all or nothing in one transaction; its row problems name the
 * file's lines. Export writes what the route reads back:
 * - JSONL: one `{name, input_variables, expected_output?, assertions?}` object per line.
 * - CSV (RFC 4180, papaparse): a header row; `name`, `expected_output` and `assertions` (a JSON
 *   array) are those fields; `var:<name>` columns are input variables, so a variable called
 *   `name` survives.
 */
import Papa from 'papaparse';
import type { TestCase, TestCaseInput } from '../api/types';

export interface ImportProblem {
  /** The file's line (1-based; a CSV header is line 1); 0 for a problem of the whole file. */
  line: number;
  message: string;
}

/**
 * The Content-Type the bulk import route (`POST /api/prompt-cards/:id/test-cases/import`) reads
 * a file as: CSV by its name, a `.json` file as a JSON array, anything else as JSON Lines.
 */
export function importContentType(fileName: string): string {
  const name = fileName.toLowerCase();
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.json')) return 'application/json';
  return 'application/x-ndjson';
}

/**
 * The server's row problems (`fields` of its 422: `rows.<line>.<field>`, the line of the file
 * for CSV and JSONL) as lines and messages, in file order; `body` problems are line 0.
 */
export function importProblems(
  fields: readonly { field: string; message: string }[],
): ImportProblem[] {
  return fields
    .map(({ field, message }) => {
      const match = /^(?:body\.)?rows\.(\d+)(?:\.(.+))?$/.exec(field);
      if (match === null)
        return { line: 0, message: `${field.replace(/^body\.?/, 'file')} ${message}` };
      return {
        line: Number(match[1]),
        message: match[2] === undefined ? message : `${match[2]} ${message}`,
      };
    })
    .sort((a, b) => a.line - b.line);
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
