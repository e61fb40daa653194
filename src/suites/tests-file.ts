/**
 * Tests kept in their own file, referenced as `file://…`: CSV (a column per variable;
 * `__expected`, `__expected1`… hold an assertion each in promptfoo's shorthand, `__description`,
 * `__threshold` and our `__key` describe the test, `__metric` names the metric of the row's
 * assertions, `__metadata:<name>` sets a metadata field — `__metadata:<name>[]` a list split at
 * commas, `\,` for a literal comma — and `__config:__expected<N>:threshold` sets that
 * assertion's threshold), JSONL (one test object per line), or YAML / JSON (a list of tests).
 * Each problem names the file and its line.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { extname } from 'node:path';
import { assertionFromString } from '../assertions/index.js';
import { describeDuplicate, duplicateColumns, type DuplicateColumn } from '../util/index.js';
import { LocatedDocument } from './located-document.js';
import { SuiteError, type SuiteIssue } from './suite-error.js';
import { suiteTestSchema, type SuiteTest } from './suite-schema.js';
import { z } from 'zod';

/** A test with where it came from, so later checks can name the file and line. */
export interface SourcedTest {
  readonly test: SuiteTest;
  readonly file: string;
  /** `tests[3]` in a YAML/JSON file, `row 4` in a CSV, `line 4` in JSONL. */
  readonly path: string;
  readonly line?: number | undefined;
}

/**
 * `sourced` with another test, its `line` left as it is: a line looked up when read
 * (LocatedDocument.withLine) stays unread, where a spread would look it up.
 */
export function withTest(sourced: SourcedTest, test: SuiteTest): SourcedTest {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(sourced)) as {
    test: SuiteTest;
  };
  copy.test = test;
  return copy as SourcedTest;
}

const testListSchema = z.array(suiteTestSchema);

export function parseTestsFile(file: string, text: string): SourcedTest[] {
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return parseCsvTests(file, text);
  if (ext === '.jsonl') return parseJsonlTests(file, text);
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    const doc = LocatedDocument.parse(file, text);
    const tests = doc.validate(testListSchema);
    return tests.map((test, i) => doc.withLine({ test, file, path: `[${i}]` }, [i]));
  }
  throw new SuiteError([
    {
      file,
      path: '',
      message: `unsupported tests file type "${ext}" (use .csv, .jsonl, .yaml, .json)`,
    },
  ]);
}

const SPECIAL_COLUMN =
  /^__(expected\d*|description|threshold|key|metric|metadata:.+|config:__expected\d*:threshold)$/;

/** `__metadata:<name>[]`: a comma-separated list, `\,` a comma inside an item. */
function metadataList(value: string): string[] {
  return value.split(/(?<!\\),/).map((item) => item.trim().replace(/\\,/g, ','));
}

/** The assertion `__config:__expected<N>:threshold` is about: 0 for `__expected`, else N - 1. */
function configuredIndex(column: string): number {
  const n = /^__config:__expected(\d*):/.exec(column)?.[1] ?? '';
  return n === '' ? 0 : Number(n) - 1;
}

function parseCsvTests(file: string, text: string): SourcedTest[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let duplicates: DuplicateColumn[] = [];
  try {
    records = parseCsv(text, {
      // A repeated header would keep only its last column: found here, refused below.
      columns: (header: string[]) => {
        duplicates = duplicateColumns(header);
        return header;
      },
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: false,
    });
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new SuiteError([
      {
        file,
        path: '',
        ...(line === undefined ? {} : { line }),
        message: (error as Error).message,
      },
    ]);
  }
  if (duplicates.length > 0)
    throw new SuiteError(
      duplicates.map((d) => ({
        file,
        path: 'header',
        line: 1,
        message: describeDuplicate(d),
      })),
    );
  const issues: SuiteIssue[] = [];
  const tests: SourcedTest[] = [];
  const header = records[0] === undefined ? [] : Object.keys(records[0].record);
  for (const column of header) {
    if (column.startsWith('__') && !SPECIAL_COLUMN.test(column))
      issues.push({
        file,
        path: `column ${column}`,
        line: 1,
        message: `unsupported column "${column}"`,
        unsupported: column,
      });
  }
  records.forEach(({ record, info }, index) => {
    const vars: Record<string, string> = {};
    const assert: SuiteTest['assert'] = [];
    let description: string | undefined;
    let key: string | undefined;
    let threshold: number | undefined;
    let metric: string | undefined;
    const metadata: Record<string, string | string[]> = {};
    const thresholds = new Map<number, number>();
    for (const [column, value] of Object.entries(record)) {
      if (/^__expected\d*$/.test(column)) {
        if (value.trim() !== '') assert.push(assertionFromString(value.trim()));
      } else if (column === '__description') description = value === '' ? undefined : value;
      else if (column === '__metric') metric = value === '' ? undefined : value;
      else if (column.startsWith('__metadata:')) {
        const name = column.slice('__metadata:'.length);
        if (value.trim() === '') continue;
        if (name.endsWith('[]')) metadata[name.slice(0, -2)] = metadataList(value);
        else metadata[name] = value;
      } else if (column.startsWith('__config:')) {
        const n = Number(value);
        if (value.trim() === '') continue;
        if (!Number.isFinite(n))
          issues.push({
            file,
            path: `row ${index + 1}.${column}`,
            line: info.lines,
            message: 'must be a number',
          });
        else thresholds.set(configuredIndex(column), n);
      } else if (column === '__key') key = value === '' ? undefined : value;
      else if (column === '__threshold') {
        const n = Number(value);
        if (value !== '' && (!Number.isFinite(n) || n < 0 || n > 1))
          issues.push({
            file,
            path: `row ${index + 1}.__threshold`,
            line: info.lines,
            message: 'must be a number between 0 and 1',
          });
        else if (value !== '') threshold = n;
      } else if (!column.startsWith('__')) vars[column] = value;
    }
    const asserts = assert.map((a, i) => {
      const t = thresholds.get(i);
      return {
        ...a,
        ...(metric === undefined ? {} : { metric }),
        ...(t === undefined ? {} : { threshold: t }),
      };
    });
    const test: SuiteTest = {
      vars,
      ...(asserts.length === 0 ? {} : { assert: asserts }),
      ...(Object.keys(metadata).length === 0 ? {} : { metadata }),
      ...(description === undefined ? {} : { description }),
      ...(key === undefined ? {} : { key }),
      ...(threshold === undefined ? {} : { threshold }),
    };
    tests.push({ test, file, path: `row ${index + 1}`, line: info.lines });
  });
  if (issues.length > 0) throw new SuiteError(issues);
  return tests;
}

function parseJsonlTests(file: string, text: string): SourcedTest[] {
  const issues: SuiteIssue[] = [];
  const tests: SourcedTest[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      issues.push({
        file,
        path: `line ${line}`,
        line,
        message: `invalid JSON: ${(error as Error).message}`,
      });
      return;
    }
    const parsed = suiteTestSchema.safeParse(value);
    if (parsed.success) tests.push({ test: parsed.data, file, path: `line ${line}`, line });
    else
      for (const issue of parsed.error.issues)
        issues.push({
          file,
          path: [`line ${line}`, ...issue.path.map(String)].join('.'),
          line,
          message:
            issue.code === 'unrecognized_keys'
              ? `unsupported key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`
              : issue.message,
        });
  });
  if (issues.length > 0) throw new SuiteError(issues);
  return tests;
}
