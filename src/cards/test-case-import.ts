/**
 * Bulk test-case import: a JSON array, JSONL (one object per line) or CSV, each row checked
 * against the one test-case schema and the card's template. Pure: text in, inputs or per-row
 * problems out, each naming the row (1-based; the line for JSONL and CSV) and the field.
 *
 * CSV columns: `name` (default `row <n>`), `expected_output`, `assertions` (a JSON array),
 * `__expected`, `__expected2`… (promptfoo's one-line assertions: `contains: x`), and every
 * other column is an input variable; a `var:` prefix is dropped (`var:name` is the variable
 * `name`, as the web UI's export writes it). A `name` or `expected_output` column also fills
 * the variable of that name when the card's template reads it and no `var:` column gives it
 * (a promptfoo tests CSV for `Hello {{name}}` has the header `name`). A column named twice
 * (also `x` with `var:x`) is refused: a row would keep only the last one.
 *
 * Every row gets the text checks a single write gets from the JSON body check
 * (src/http/untrusted-input.ts): no U+0000, no unpaired surrogate, no `__proto__`,
 * `constructor` or `prototype` key (for CSV: no such column).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { assertionFromString } from '../assertions/index.js';
import { textProblem, untrustedInputProblems } from '../http/index.js';
import { testCaseInputSchema, type TestCaseInput } from './card-schema.js';
import { extractVariables, missingVariables } from './template.js';
import {
  describeDuplicate,
  duplicateColumns,
  yieldToLoop,
  YIELD_EVERY_ROWS,
} from '../util/index.js';

/** The problem of an input variable the card's template does not use. */
export const UNUSED_VARIABLE = 'is not a variable of the template';

/** The most rows one import may carry. */
export const MAX_IMPORT_ROWS = 100_000;

export type ImportFormat = 'json' | 'jsonl' | 'csv';

export interface ImportProblem {
  readonly field: string;
  readonly message: string;
}

export type ImportOutcome =
  | { readonly ok: true; readonly inputs: TestCaseInput[] }
  | { readonly ok: false; readonly problems: ImportProblem[] };

interface RawRow {
  readonly row: number;
  readonly value: unknown;
}

function rowsOf(format: ImportFormat, text: string, template: string): RawRow[] | ImportProblem {
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { field: 'body', message: 'is not valid JSON' };
    }
    if (!Array.isArray(value))
      return { field: 'body', message: 'must be a JSON array of test cases' };
    return value.map((v: unknown, i) => ({ row: i + 1, value: v }));
  }
  if (format === 'jsonl') {
    const rows: RawRow[] = [];
    for (const [i, line] of text.split('\n').entries()) {
      if (line.trim() === '') continue;
      try {
        rows.push({ row: i + 1, value: JSON.parse(line) });
      } catch {
        return { field: `rows.${i + 1}`, message: 'is not valid JSON' };
      }
    }
    return rows;
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let headerProblem: ImportProblem | undefined;
  let alsoVariables = new Set<string>();
  const checkHeader = (header: string[]) => {
    const bad = header.find((column) => columnProblem(column) !== undefined);
    if (bad !== undefined)
      headerProblem = { field: 'columns', message: `${columnProblem(bad) ?? ''}: ${bad}` };
    const duplicate = duplicateColumns(header, columnTarget)[0];
    if (duplicate !== undefined && headerProblem === undefined)
      headerProblem = { field: 'columns', message: describeDuplicate(duplicate) };
    const used = new Set(extractVariables(template));
    alsoVariables = new Set(
      FIELD_COLUMNS.filter(
        (f) => used.has(f) && header.includes(f) && !header.includes(`var:${f}`),
      ),
    );
    return header;
  };
  try {
    records = parseCsv(text, {
      columns: checkHeader,
      bom: true,
      info: true,
      skip_empty_lines: true,
    });
  } catch (error) {
    return (
      headerProblem ?? { field: 'body', message: `is not valid CSV: ${(error as Error).message}` }
    );
  }
  if (headerProblem !== undefined) return headerProblem;
  return records.map(({ record, info }) => {
    const vars: Record<string, string> = {};
    const assertions: unknown[] = [];
    let parsedAssertions: unknown = [];
    for (const [column, cell] of Object.entries(record)) {
      if (alsoVariables.has(column)) vars[column] = cell;
      if (column === 'name' || column === 'expected_output') continue;
      if (column === 'assertions') {
        try {
          parsedAssertions = cell.trim() === '' ? [] : JSON.parse(cell);
        } catch {
          parsedAssertions = cell;
        }
      } else if (/^__expected\d*$/.test(column)) {
        if (cell.trim() !== '') assertions.push(assertionFromString(cell));
      } else vars[column.replace(/^var:/, '')] = cell;
    }
    return {
      row: info.lines,
      value: {
        name: record.name === undefined || record.name === '' ? `row ${info.lines}` : record.name,
        input_variables: vars,
        expected_output:
          record.expected_output === undefined || record.expected_output === ''
            ? null
            : record.expected_output,
        assertions: Array.isArray(parsedAssertions)
          ? [...(parsedAssertions as unknown[]), ...assertions]
          : parsedAssertions,
      },
    };
  });
}

const FORBIDDEN_COLUMNS = new Set(['__proto__', 'constructor', 'prototype']);

/** Columns that fill a test case's field (and its variable only when the template reads it). */
const FIELD_COLUMNS = ['name', 'expected_output'];

/** What a CSV column fills: a field, an assertion, or a variable (`x` and `var:x` are one). */
function columnTarget(column: string): string {
  if (FIELD_COLUMNS.includes(column) || column === 'assertions' || /^__expected\d*$/.test(column))
    return `field:${column}`;
  return `var:${column.replace(/^var:/, '')}`;
}

/** Why a CSV column cannot name a field or an input variable, or undefined. */
function columnProblem(column: string): string | undefined {
  const name = column.replace(/^var:/, '');
  if (FORBIDDEN_COLUMNS.has(name)) return 'has a column that is not an allowed key';
  const problem = textProblem(column);
  return problem === undefined ? undefined : `has a column that ${problem}`;
}

/**
 * Parses and checks every row; problems of up to `maxProblems` rows are reported. The rows are
 * checked in chunks with a yield to the event loop between them, so a 100,000-row import does
 * not hold other requests for its whole check.
 */
export async function parseImport(
  format: ImportFormat,
  text: string,
  template: string,
  maxProblems = 100,
): Promise<ImportOutcome> {
  const rows = rowsOf(format, text, template);
  if (!Array.isArray(rows)) return { ok: false, problems: [rows] };
  if (rows.length === 0)
    return { ok: false, problems: [{ field: 'body', message: 'has no rows' }] };
  if (rows.length > MAX_IMPORT_ROWS)
    return {
      ok: false,
      problems: [{ field: 'body', message: `has ${rows.length} rows; at most ${MAX_IMPORT_ROWS}` }],
    };
  const inputs: TestCaseInput[] = [];
  const problems: ImportProblem[] = [];
  for (const [index, { row, value }] of rows.entries()) {
    if (problems.length >= maxProblems) break;
    if (index > 0 && index % YIELD_EVERY_ROWS === 0) await yieldToLoop();
    const textProblems = untrustedInputProblems(value, `rows.${row}`);
    if (textProblems.length > 0) {
      problems.push(...textProblems);
      continue;
    }
    const parsed = testCaseInputSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = [`rows.${row}`, ...issue.path.map(String)].join('.');
        problems.push({
          field,
          message:
            issue.code === 'unrecognized_keys'
              ? `unknown field(s): ${issue.keys.join(', ')}`
              : issue.message,
        });
      }
      continue;
    }
    const missing = missingVariables(template, parsed.data.input_variables);
    for (const name of missing)
      problems.push({
        field: `rows.${row}.input_variables.${name}`,
        message: 'is required by the template',
      });
    // Variables the template does not use are kept here, unlike a single write: a promptfoo
    // suite's vars serve all its prompts (each a card) and its assertions.
    inputs.push(parsed.data);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, inputs };
}
