/**
 * A run's results as a list or as the prompt × model matrix (optionally beside another run of
 * the card), with filters, the selected result's detail and its rating. Every choice lives in the
 * URL (view, show, verdict, model, q, result, against), so reload and a shared link keep it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Rating, Run, RunResult, TestCase } from '../api/types';
import {
  buildMatrix,
  filterMatrix,
  MATRIX_FILTERS,
  type MatrixFilter,
  type MatrixRun,
} from '../lib/matrix';
import { filterResults, type Verdict } from '../lib/result-filter';
import { oneOf } from '../lib/url-state';
import { useHashState } from '../use-hash-state';
import { usePaged } from '../use-paged';
import { RESULTS_PAGE, type RunPaging } from '../use-run';
import { LoadMore } from './load-more';
import { MatrixView } from './matrix-view';
import { ResultDetail } from './result-detail';
import { ResultsTable } from './results-table';

const VERDICTS: readonly Verdict[] = ['all', 'passed', 'failed', 'errored', 'not_judged'];
const DEFAULTS = {
  view: 'matrix',
  show: 'all',
  verdict: 'all',
  model: '',
  q: '',
  result: '',
  against: '',
};

const FILTER_LABELS: Record<MatrixFilter, string> = {
  all: 'All',
  failures: 'Failures',
  passes: 'Passes',
  errors: 'Errors',
  different: 'Different',
  rated: 'Rated',
};

export function RunResults(props: {
  run: Run;
  results: readonly RunResult[];
  cases: readonly TestCase[];
  otherRuns: readonly Run[];
  /** This run's stored results page by page; undefined while the run is followed live. */
  paging: RunPaging | undefined;
  onRated: () => void;
  onShown: (shown: readonly RunResult[]) => void;
}) {
  const { run, results, cases } = props;
  const [state, set] = useHashState(DEFAULTS);
  const view = oneOf(state.view, ['matrix', 'list'] as const, 'matrix');
  const show = oneOf(state.show, MATRIX_FILTERS, 'all');
  const verdict = oneOf(state.verdict, VERDICTS, 'all');
  const [ratings, setRatings] = useState<ReadonlyMap<string, Rating>>(new Map());
  const againstPages = usePaged<RunResult>(
    state.against === ''
      ? null
      : `/api/runs/${encodeURIComponent(state.against)}/results?limit=${RESULTS_PAGE}`,
  );
  const against = againstPages.items;
  const names = useMemo(() => new Map(cases.map((c) => [c.id, c.name])), [cases]);
  const byId = useMemo(() => new Map(cases.map((c) => [c.id, c])), [cases]);

  useEffect(() => {
    api<{ items: Rating[] }>(`/api/runs/${encodeURIComponent(run.id)}/ratings`).then(
      (page) => setRatings(new Map(page.items.map((r) => [r.result_id, r]))),
      () => setRatings(new Map()),
    );
  }, [run.id]);
  // Both runs' next pages as the rows drawn reach the end of those held (one page at a time
  // each, however often it is asked), or every page left.
  const { paging } = props;
  const ownMore = paging?.more;
  const ownAll = paging?.all;
  const { more: otherMore, all: otherAll } = againstPages;
  const comparing = state.against !== '';
  const more = useCallback(() => {
    ownMore?.();
    if (comparing) otherMore();
  }, [ownMore, otherMore, comparing]);
  const all = useCallback(() => {
    ownAll?.();
    if (comparing) otherAll();
  }, [ownAll, otherAll, comparing]);
  const foot = footOf(paging, comparing ? againstPages : undefined, results.length);

  const listShown = useMemo(
    () => filterResults(results, { verdict, model: state.model, text: state.q }, names),
    [results, verdict, state.model, state.q, names],
  );
  const otherRun = props.otherRuns.find((r) => r.id === state.against);
  const matrix = useMemo(() => {
    const runs: MatrixRun[] = [
      { id: run.id, label: runLabel(run, 'this run'), models: run.models, results },
    ];
    if (otherRun !== undefined)
      runs.unshift({
        id: otherRun.id,
        label: runLabel(otherRun, 'earlier'),
        models: otherRun.models,
        results: against,
      });
    return buildMatrix(runs);
  }, [run, results, otherRun, against]);
  const rated = useMemo(() => new Set(ratings.keys()), [ratings]);
  const rows = useMemo(
    () => filterMatrix(matrix.rows, show, { text: state.q, names, rated }),
    [matrix.rows, show, state.q, names, rated],
  );
  const { onShown } = props;
  useEffect(() => onShown(listShown), [listShown, onShown]);

  const selected =
    state.result === ''
      ? undefined
      : (results.find((r) => r.id === state.result) ?? against.find((r) => r.id === state.result));

  return (
    <div className="two-columns results-layout">
      <section className="panel" aria-labelledby="results-heading">
        <h2 id="results-heading">
          {view === 'matrix'
            ? `Matrix (${rows.length} of ${matrix.rows.length} test cases${foot.complete ? '' : ' loaded'})`
            : `Results (${listShown.length} of ${results.length}${foot.complete ? '' : ' loaded'})`}
        </h2>
        <div className="filters" role="search">
          <label>
            View
            <select value={view} onChange={(e) => set({ view: e.target.value })}>
              <option value="matrix">matrix</option>
              <option value="list">list</option>
            </select>
          </label>
          {view === 'list' ? (
            <>
              <label>
                Verdict
                <select value={verdict} onChange={(e) => set({ verdict: e.target.value })}>
                  {VERDICTS.map((v) => (
                    <option key={v} value={v}>
                      {v === 'not_judged' ? 'not judged' : v}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Model
                <select value={state.model} onChange={(e) => set({ model: e.target.value })}>
                  <option value="">all</option>
                  {run.models.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </label>
            </>
          ) : (
            <label>
              Beside run
              <select value={state.against} onChange={(e) => set({ against: e.target.value })}>
                <option value="">none</option>
                {props.otherRuns
                  .filter((r) => r.id !== run.id)
                  .map((r) => (
                    <option key={r.id} value={r.id}>
                      {runLabel(r, r.id.slice(0, 8))} · {new Date(r.created_at).toLocaleString()}
                    </option>
                  ))}
              </select>
            </label>
          )}
          <label>
            Text
            <input type="search" value={state.q} onChange={(e) => set({ q: e.target.value })} />
          </label>
        </div>
        {view === 'matrix' && (
          <div className="segmented" role="radiogroup" aria-label="Show">
            {MATRIX_FILTERS.map((f) => (
              <label key={f} className={show === f ? 'on' : ''}>
                <input
                  type="radio"
                  name="matrix-show"
                  value={f}
                  checked={show === f}
                  onChange={() => set({ show: f })}
                />
                {FILTER_LABELS[f]}
              </label>
            ))}
          </div>
        )}
        {view === 'matrix' ? (
          <MatrixView
            columns={matrix.columns}
            rows={rows}
            cases={byId}
            rated={rated}
            selected={state.result === '' ? null : state.result}
            onSelect={(id) => set({ result: id })}
            onEndReached={more}
          />
        ) : (
          <ResultsTable
            results={listShown}
            names={names}
            selected={state.result === '' ? null : state.result}
            onSelect={(id) => set({ result: id })}
            onEndReached={more}
          />
        )}
        <LoadMore noun="results" {...foot} more={more} all={all} />
      </section>
      {selected === undefined ? (
        <section className="panel muted">
          Select a result to see its assertions, prompt and output, and to rate it.
        </section>
      ) : (
        <ResultDetail
          result={selected}
          testCase={byId.get(selected.test_case_id)}
          rating={ratings.get(selected.id)}
          onRated={(rating) => {
            setRatings((current) => new Map(current).set(rating.result_id, rating));
            props.onRated();
          }}
        />
      )}
    </div>
  );
}

/** The list foot's counts: this run's pages, plus the compared run's when one is beside it. */
function footOf(
  own: RunPaging | undefined,
  other: { loaded: number; total: number | null; loading: boolean; complete: boolean } | undefined,
  held: number,
): { loaded: number; total: number | null; loading: boolean; complete: boolean } {
  const mine = own?.state ?? { loaded: held, total: held, loading: false, complete: true };
  if (other === undefined) return { ...mine, loaded: Math.max(mine.loaded, held) };
  return {
    loaded: Math.max(mine.loaded, held) + other.loaded,
    total: mine.total === null || other.total === null ? null : mine.total + other.total,
    loading: mine.loading || other.loading,
    complete: mine.complete && other.complete,
  };
}

/** `earlier (v3)`: the name given, with the prompt version the run pinned. */
function runLabel(run: Run, name: string): string {
  return run.prompt_version === null ? name : `${name} (v${run.prompt_version})`;
}
