/** One run: live progress, cancel/resume, per-model summary, filtered results and a detail pane. */
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Card, Page, Run, RunResult, TestCase } from '../api/types';
import { AgreementPanel } from '../components/agreement-panel';
import { RunResults } from '../components/run-results';
import { ScrollRegion } from '../components/scroll-region';
import { routeHref } from '../lib/hash-route';
import { download } from '../download';
import { resultsToCsv, resultsToJsonl } from '../lib/result-export';
import { errorText, useApi } from '../use-api';
import { useRun } from '../use-run';
import { PagedList, withAfter } from '../lib/paged-list';

// Recharts is most of the bundle: loaded when a chart is first shown.
const LatencyChart = lazy(() =>
  import('../components/latency-chart').then((m) => ({ default: m.LatencyChart })),
);

function ms(value: number | null): string {
  return value === null ? '–' : String(Math.round(value));
}

export function RunPage({ runId }: { runId: string }) {
  const view = useRun(runId);
  const { tracker } = view;
  const run = tracker.run;
  const card = useApi<Card>(run === undefined ? null : `/api/prompt-cards/${run.prompt_card_id}`);
  const [cases, setCases] = useState<TestCase[]>([]);
  const [shown, setShown] = useState<readonly RunResult[]>([]);
  const [ratedTick, setRatedTick] = useState(0);
  const otherRuns = useApi<Page<Run>>(
    run === undefined ? null : `/api/prompt-cards/${run.prompt_card_id}/runs?limit=20`,
  );
  const [actionError, setActionError] = useState('');
  const cardId = run?.prompt_card_id;
  useEffect(() => {
    if (cardId === undefined) return;
    // The card's test cases (names and variables of the rows), in the background and drawn page
    // by page: rows show before their names arrive, never after them.
    const list: PagedList<TestCase> = new PagedList<TestCase>(
      (after) =>
        api<Page<TestCase>>(
          withAfter(`/api/prompt-cards/${encodeURIComponent(cardId)}/test-cases?limit=100`, after),
        ),
      () => setCases(list.items.slice()),
    );
    list.all().catch(() => undefined);
    return () => list.stop();
  }, [cardId]);
  const names = useMemo(() => new Map(cases.map((c) => [c.id, c.name])), [cases]);
  const results = tracker.snapshot();

  if (view.error !== undefined) return <p className="panel fail">{errorText(view.error)}</p>;
  if (run === undefined) return <p className="panel muted">Loading run…</p>;
  const progress = tracker.progress();
  const percent =
    progress.total === 0 ? 0 : Math.round((progress.completed / progress.total) * 100);
  const active = tracker.isActive();
  const act = (path: 'cancel' | 'resume') => {
    setActionError('');
    api<Run>(`/api/runs/${runId}/${path}`, { method: 'POST' }).then(
      (updated) => view.refresh(updated),
      (e: unknown) => setActionError(errorText(e)),
    );
  };

  return (
    <div className="run-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={routeHref({ page: 'cards' })}>Cards</a> ›{' '}
        <a href={routeHref({ page: 'card', cardId: run.prompt_card_id })}>
          {card.data?.title ?? 'card'}
        </a>{' '}
        › run
      </nav>
      <section className="panel" aria-labelledby="run-heading">
        <h1 id="run-heading">
          Run{' '}
          <span className={`status status-${run.status}`} data-testid="run-status">
            {run.status}
          </span>
          {view.connection === 'reconnecting' && <span className="muted"> (reconnecting…)</span>}
          {view.connection === 'polling' && (
            <span className="muted"> (live updates by polling)</span>
          )}
        </h1>
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.completed}
          aria-label="Progress"
        >
          <div className="progress-bar" style={{ width: `${percent}%` }} />
        </div>
        <p data-testid="run-counts" aria-live="polite">
          <span data-testid="completed">{progress.completed}</span>/
          <span data-testid="total">{progress.total}</span> done ·{' '}
          <span className="pass">{progress.passed} passed</span> ·{' '}
          <span className="fail">{progress.failed} failed</span> ·{' '}
          <span className="fail">{progress.errored} errored</span> ·{' '}
          <span className="muted">{progress.not_judged} not judged</span>
        </p>
        <div className="actions">
          {active && (
            <button type="button" className="edit-control" onClick={() => act('cancel')}>
              Cancel run
            </button>
          )}
          {(run.status === 'cancelled' || run.status === 'interrupted') && (
            <button type="button" className="edit-control" onClick={() => act('resume')}>
              Resume run
            </button>
          )}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              download(`run-${runId}.jsonl`, 'application/x-ndjson', resultsToJsonl(shown))
            }
          >
            Export shown results (JSONL)
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => download(`run-${runId}.csv`, 'text/csv', resultsToCsv(shown, names))}
          >
            Export shown results (CSV)
          </button>
          <span role="alert" className="fail">
            {actionError}
          </span>
        </div>
        <p className="muted small-text">
          {run.models.join(', ')} · concurrency {run.concurrency} · repeat {run.repeat} · created{' '}
          {new Date(run.created_at).toLocaleString()}
        </p>
        {run.summary.length > 0 && (
          <ScrollRegion label="Summary per model">
            <table className="summary">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Pass rate</th>
                  <th scope="col">Mean score</th>
                  <th scope="col">p50 / p95 latency</th>
                  <th scope="col">Tokens in / out</th>
                  <th scope="col">Cost</th>
                </tr>
              </thead>
              <tbody>
                {run.summary.map((s) => (
                  <tr key={s.model}>
                    <td>
                      {s.model} {s.simulated && <span className="tag simulated">simulated</span>}
                    </td>
                    <td>{s.pass_rate === null ? '–' : `${(s.pass_rate * 100).toFixed(1)} %`}</td>
                    <td>{s.mean_score?.toFixed(3) ?? '–'}</td>
                    <td>
                      {ms(s.latency_ms.p50)} / {ms(s.latency_ms.p95)} ms
                    </td>
                    <td>
                      {s.tokens.input ?? '–'} / {s.tokens.output ?? '–'}
                    </td>
                    <td>
                      {s.cost_usd === null
                        ? 'unknown'
                        : `$${s.cost_usd.toFixed(4)}${s.cost_complete ? '' : ' (partial)'}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
        {!active && (
          <Suspense fallback={null}>
            <LatencyChart
              results={results}
              note={
                view.paging?.state.complete === false
                  ? `${results.length} of ${progress.completed} results loaded`
                  : undefined
              }
            />
          </Suspense>
        )}
      </section>
      <AgreementPanel cardId={run.prompt_card_id} models={run.models} version={ratedTick} />
      <RunResults
        run={run}
        results={results}
        cases={cases}
        otherRuns={otherRuns.data?.items ?? []}
        paging={view.paging}
        onRated={() => setRatedTick((t) => t + 1)}
        onShown={setShown}
      />
    </div>
  );
}
