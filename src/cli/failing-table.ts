/**
 * The table of failing tests printed in `eval`'s summary: one line per result that failed or
 * errored (test description, prompt label, model, and why: the first failed assertion's
 * `type: reason`, or the error), each cell on one line, its control characters escaped, cut
 * to a width and padded by display columns (terminal-width.ts); at most `limit`
 * rows, then "… and N more". The full list is in the `-o` reports.
 */
import type { ReportRow } from './eval-report.js';
import { visible } from './terminal-text.js';
import { cutToWidth, displayWidth, padToWidth } from './terminal-width.js';

/** Widths (display columns) of the description, prompt and model columns, and of the reason. */
const WIDTHS = [40, 24, 32, 100] as const;

/**
 * Whitespace (newlines too) collapsed to one space, control and bidi characters escaped
 * visibly, then cut to `width` display columns with "…".
 */
export function oneLine(text: string, width: number): string {
  return cutToWidth(visible(text.replace(/\s+/g, ' ').trim()), width);
}

/** Why a row did not pass: its error, its first failed assertion, or its score. */
function why(row: ReportRow): string {
  if (row.verdict === 'error') return row.error ?? 'error';
  const failed = row.assertions.find((a) => !a.pass);
  return failed === undefined
    ? `score ${row.score} below the test's threshold`
    : `${failed.type}: ${failed.reason}`;
}

/** The summary lines for the rows that failed or errored; empty when none did. */
export function failingTable(rows: readonly ReportRow[], limit = 20): string[] {
  const failing = rows.filter((r) => r.verdict === 'fail' || r.verdict === 'error');
  if (failing.length === 0) return [];
  const repeated = rows.some((r) => r.repetition > 1);
  const cells = failing
    .slice(0, limit)
    .map((r) => [
      oneLine(repeated ? `${r.test} #${r.repetition}` : r.test, WIDTHS[0]),
      oneLine(r.prompt, WIDTHS[1]),
      oneLine(r.model, WIDTHS[2]),
      oneLine(`${r.verdict === 'error' ? 'ERROR ' : ''}${why(r)}`, WIDTHS[3]),
    ]);
  const header = ['test', 'prompt', 'model', 'reason'];
  const width = [0, 1, 2].map((i) =>
    Math.max(displayWidth(header[i] ?? ''), ...cells.map((c) => displayWidth(c[i] ?? ''))),
  );
  const line = (c: readonly string[]) =>
    [0, 1, 2].map((i) => padToWidth(c[i] ?? '', width[i] ?? 0)).join('  ') + `  ${c[3] ?? ''}`;
  const more = failing.length - cells.length;
  return [
    `${failing.length} failing test(s):`,
    `  ${line(header)}`,
    ...cells.map((c) => `  ${line(c)}`),
    ...(more > 0 ? [`… and ${more} more`] : []),
  ];
}
