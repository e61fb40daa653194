/** A card's runs, newest first; pick two to compare. */
import { lazy, Suspense, useState } from 'react';
import type { Run } from '../api/types';
import { routeHref } from '../lib/hash-route';
import { LoadMore, type LoadMoreProps } from './load-more';

// Recharts is most of the bundle: loaded when a chart is first shown.
const RunCharts = lazy(() => import('./run-charts').then((m) => ({ default: m.RunCharts })));

/** passed / (completed − not judged), as the server's pass_rate: unjudged answers do not count. */
export function passRate(run: Run): string {
  const { completed, passed } = run.progress;
  const judged = completed - (run.progress.not_judged ?? 0);
  return judged <= 0 ? '–' : `${Math.round((passed / judged) * 100)} %`;
}

export function RunHistory({
  runs,
  onRefresh,
  pages,
}: {
  runs: readonly Run[];
  onRefresh: () => void;
  /** The list's paging (newest first, a page at a time). */
  pages?: Omit<LoadMoreProps, 'noun'>;
}) {
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const [older, newer] = [...picked].sort(
    (a, b) => runs.findIndex((r) => r.id === b) - runs.findIndex((r) => r.id === a),
  );
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">
        Run history{' '}
        <button type="button" className="link" onClick={onRefresh}>
          Refresh
        </button>
      </h2>
      {runs.length === 0 ? (
        <p className="muted">No runs yet.</p>
      ) : (
        <div className="table-scroll short">
          <table>
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Models</th>
                <th scope="col">Done</th>
                <th scope="col">Pass</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Compare run ${run.id}`}
                      checked={picked.includes(run.id)}
                      onChange={() => toggle(run.id)}
                    />
                  </td>
                  <td>
                    <a href={routeHref({ page: 'run', runId: run.id })}>
                      {new Date(run.created_at).toLocaleString()}
                    </a>
                  </td>
                  <td>
                    <span className={`status status-${run.status}`}>{run.status}</span>
                  </td>
                  <td className="small-text">{run.models.join(', ')}</td>
                  <td>
                    {run.progress.completed}/{run.progress.total}
                  </td>
                  <td>{passRate(run)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages !== undefined && <LoadMore noun="runs" auto {...pages} />}
        </div>
      )}
      {older !== undefined && newer !== undefined && (
        <a className="button" href={routeHref({ page: 'compare', base: older, head: newer })}>
          Compare the two selected runs
        </a>
      )}
      <Suspense fallback={<p className="muted">Loading charts…</p>}>
        <RunCharts runs={runs} />
      </Suspense>
    </section>
  );
}
