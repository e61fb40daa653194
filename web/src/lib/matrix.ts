/**
 * The prompt × model matrix of one run or of two runs side by side: a row per test case, a
 * column per (run, model), each cell that pair's results (several with repeat > 1). Pure, so
 * the filters are tested without a browser; the view virtualises the rows.
 */
import type { RunResult } from '../api/types';
import { verdictOf } from './result-filter';

export interface MatrixColumn {
  /** `<run id>\u0000<model>`. */
  readonly key: string;
  readonly runId: string;
  readonly model: string;
  /** What the header shows: the model, prefixed with the run's label when comparing. */
  readonly label: string;
}

export type CellVerdict = 'passed' | 'failed' | 'errored' | 'not_judged' | 'mixed';

export interface MatrixCell {
  readonly results: readonly RunResult[];
  readonly verdict: CellVerdict;
}

export interface MatrixRow {
  readonly testCaseId: string;
  /** Cells by column key; a column without a result for this case has none. */
  readonly cells: ReadonlyMap<string, MatrixCell>;
}

export interface Matrix {
  readonly columns: readonly MatrixColumn[];
  readonly rows: readonly MatrixRow[];
}

export interface MatrixRun {
  readonly id: string;
  readonly label: string;
  readonly models: readonly string[];
  readonly results: readonly RunResult[];
}

export const MATRIX_FILTERS = [
  'all',
  'failures',
  'passes',
  'errors',
  'different',
  'rated',
] as const;
export type MatrixFilter = (typeof MATRIX_FILTERS)[number];

function cellVerdict(results: readonly RunResult[]): CellVerdict {
  const verdicts = new Set(results.map(verdictOf));
  if (verdicts.size === 1) return [...verdicts][0];
  return 'mixed';
}

/** Rows in the order test cases first appear (the run's order), columns run by run. */
export function buildMatrix(runs: readonly MatrixRun[]): Matrix {
  const columns: MatrixColumn[] = runs.flatMap((run) =>
    run.models.map((model) => ({
      key: `${run.id}\u0000${model}`,
      runId: run.id,
      model,
      label: runs.length > 1 ? `${run.label} · ${model}` : model,
    })),
  );
  const byCase = new Map<string, Map<string, RunResult[]>>();
  for (const run of runs) {
    for (const result of run.results) {
      let cells = byCase.get(result.test_case_id);
      if (cells === undefined)
        byCase.set(result.test_case_id, (cells = new Map<string, RunResult[]>()));
      const key = `${run.id}\u0000${result.model}`;
      const list = cells.get(key);
      if (list === undefined) cells.set(key, [result]);
      else list.push(result);
    }
  }
  const rows: MatrixRow[] = [];
  for (const [testCaseId, cells] of byCase) {
    const built = new Map<string, MatrixCell>();
    for (const [key, results] of cells) {
      results.sort((a, b) => a.repetition - b.repetition);
      built.set(key, { results, verdict: cellVerdict(results) });
    }
    rows.push({ testCaseId, cells: built });
  }
  return { columns, rows };
}

/**
 * Rows a filter keeps. `failures`/`passes`/`errors`: some cell failed / passed / errored.
 * `different`: the cells do not all give the same verdict (one model passes where another
 * fails), the rows worth reading first. `rated`: some result of the row has a person's rating.
 * `text` matches the test case name, outputs and error messages.
 */
export function filterMatrix(
  rows: readonly MatrixRow[],
  filter: MatrixFilter,
  options: {
    readonly text?: string;
    readonly names?: ReadonlyMap<string, string>;
    readonly rated?: ReadonlySet<string>;
  } = {},
): MatrixRow[] {
  const text = (options.text ?? '').trim().toLowerCase();
  return rows.filter((row) => {
    const cells = [...row.cells.values()];
    const results = cells.flatMap((c) => c.results);
    const keep = (() => {
      switch (filter) {
        case 'all':
          return true;
        case 'failures':
          return results.some((r) => verdictOf(r) === 'failed');
        case 'passes':
          return results.some((r) => verdictOf(r) === 'passed');
        case 'errors':
          return results.some((r) => verdictOf(r) === 'errored');
        case 'different':
          return new Set(results.map(verdictOf)).size > 1;
        case 'rated':
          return results.some((r) => options.rated?.has(r.id) === true);
      }
    })();
    if (!keep) return false;
    if (text === '') return true;
    const haystack = [
      options.names?.get(row.testCaseId) ?? '',
      ...results.map((r) => r.output ?? ''),
      ...results.map((r) => r.error?.message ?? ''),
    ];
    return haystack.some((field) => field.toLowerCase().includes(text));
  });
}
