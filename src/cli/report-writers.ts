/**
 * Writes an evaluation report by the output file's extension: `.json` (summary and results),
 * `.jsonl` (one result per line), `.csv` (one result per row), `.xml` (JUnit: a testsuite per
 * prompt × model, a testcase per result; a failure or error element when it did not pass,
 * `skipped` when nothing could be evaluated), `.html` (one self-contained page, html-report.ts).
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { EvalReport, ReportRow } from './eval-report.js';
import { toHtml } from './html-report.js';

export const OUTPUT_EXTENSIONS = ['.json', '.jsonl', '.csv', '.xml', '.html'] as const;

export function isSupportedOutput(path: string): boolean {
  return (OUTPUT_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

export async function writeReport(path: string, report: EvalReport): Promise<void> {
  const ext = extname(path).toLowerCase();
  const text =
    ext === '.json'
      ? JSON.stringify(report, null, 2)
      : ext === '.jsonl'
        ? report.rows.map((row) => JSON.stringify(row)).join('\n') + '\n'
        : ext === '.csv'
          ? toCsv(report.rows)
          : ext === '.html'
            ? toHtml(report)
            : toJunit(report);
  await writeFile(path, text);
}

export const CSV_COLUMNS = [
  'prompt',
  'test_key',
  'test',
  'model',
  'repetition',
  'verdict',
  'score',
  'latency_ms',
  'cost_usd',
  'output',
  'error',
  'not_evaluated',
  'run_id',
] as const;

function toCsv(rows: readonly ReportRow[]): string {
  return stringify(
    rows.map((row) => ({
      ...row,
      not_evaluated: row.not_evaluated.map((s) => s.type).join(' '),
    })),
    { header: true, columns: [...CSV_COLUMNS] },
  );
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function junitCase(row: ReportRow, repeated: boolean): string {
  const name = repeated ? `${row.test} #${row.repetition}` : row.test;
  const open = `    <testcase name="${xml(name)}" classname="${xml(`${row.prompt} | ${row.model}`)}" time="${(row.latency_ms / 1000).toFixed(3)}"`;
  const parts: string[] = [];
  if (row.verdict === 'fail') {
    const failed = row.assertions.filter((a) => !a.pass);
    const message = failed.map((a) => `${a.type}: ${a.reason}`).join('; ') || `score ${row.score}`;
    parts.push(
      `      <failure message="${xml(message)}" type="assertion">${xml(row.output ?? '')}</failure>`,
    );
  } else if (row.verdict === 'error') {
    parts.push(
      `      <error message="${xml(row.error ?? '')}" type="${xml(row.error?.split(':')[0] ?? 'error')}"/>`,
    );
  } else if (row.verdict === 'not_evaluated') {
    parts.push(
      `      <skipped message="no assertion could be evaluated (unsupported: ${xml(row.not_evaluated.map((s) => s.type).join(', '))})"/>`,
    );
  }
  if (row.not_evaluated.length > 0 && row.verdict !== 'not_evaluated')
    parts.push(
      `      <system-out>not evaluated: ${xml(row.not_evaluated.map((s) => `${s.type} (${s.reason})`).join(', '))}</system-out>`,
    );
  return parts.length === 0 ? `${open}/>` : `${open}>\n${parts.join('\n')}\n    </testcase>`;
}

function toJunit(report: EvalReport): string {
  const groups = new Map<string, ReportRow[]>();
  for (const row of report.rows) {
    const key = `${row.prompt} | ${row.model}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  const repeated = report.rows.some((r) => r.repetition > 1);
  const count = (rows: readonly ReportRow[], verdict: string) =>
    rows.filter((r) => r.verdict === verdict).length;
  const time = (rows: readonly ReportRow[]) =>
    (rows.reduce((s, r) => s + r.latency_ms, 0) / 1000).toFixed(3);
  const suites = [...groups].map(
    ([name, rows]) =>
      `  <testsuite name="${xml(name)}" tests="${rows.length}" failures="${count(rows, 'fail')}" errors="${count(rows, 'error')}" skipped="${count(rows, 'not_evaluated')}" time="${time(rows)}">\n${rows.map((r) => junitCase(r, repeated)).join('\n')}\n  </testsuite>`,
  );
  const all = report.rows;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(report.description || 'prompt-cards eval')}" tests="${all.length}" failures="${count(all, 'fail')}" errors="${count(all, 'error')}" skipped="${count(all, 'not_evaluated')}" time="${time(all)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
