/**
 * A run's results as a list or as the prompt × model matrix (optionally beside another run of
 * the card), with filters, the selected result's detail and its rating. Every choice lives in the
 * URL (view, show, verdict, model, q, result, against), so reload and a shared link keep it.
 */
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Page, Rating, Run, RunResult, TestCase } from '../api/types';
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

/** Every result of a run (the API pages by 500). */
export async function loadAllResults(runId: string): Promise<RunResult[]> {
  const all: RunResult[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await api<Page<RunResult>>(
      `/api/runs/${encodeURIComponent(runId)}/results?limit=500&offset=${offset}`,
    );
    all.push(...page.items);
    if (all.length >= page.total || page.items.length === 0) return all;
  }
}

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
  onRated: () => void;
  onShown: (shown: readonly RunResult[]) => void;
}) {
  const { run, results, cases } = props;
  const [state, set] = useHashState(DEFAULTS);
  const view = oneOf(state.view, ['matrix', 'list'] as const, 'matrix');
  const show = oneOf(state.show, MATRIX_FILTERS, 'all');
  const verdict = oneOf(state.verdict, VERDICTS, 'all');
  const [ratings, setRatings] = useState<ReadonlyMap<string, Rating>>(new Map());
  const [against, setAgainst] = useState<RunResult[]>([]);
  const names = useMemo(() => new Map(cases.map((c) => [c.id, c.name])), [cases]);
  const byId = useMemo(() => new Map(cases.map((c) => [c.id, c])), [cases]);

  useEffect(() => {
    api<{ items: Rating[] }>(`/api/runs/${encodeURIComponent(run.id)}/ratings`).then(
      (page) => setRatings(new Map(page.items.map((r) => [r.result_id, r]))),
      () => setRatings(new Map()),
    );
  }, [run.id]);
  useEffect(() => {
    if (state.against === '') return setAgainst([]);
    loadAllResults(state.against).then(setAgainst, () => setAgainst([]));
  }, [state.against]);

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
            ? `Matrix (${rows.length} of ${matrix.rows.length} test cases)`
            : `Results (${listShown.length} of ${results.length})`}
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
          />
        ) : (
          <ResultsTable
            results={listShown}
            names={names}
            selected={state.result === '' ? null : state.result}
            onSelect={(id) => set({ result: id })}
          />
        )}
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

/** `earlier (v3)`: the name given, with the prompt version the run pinned. */
function runLabel(run: Run, name: string): string {
  return run.prompt_version === null ? name : `${name} (v${run.prompt_version})`;
}
