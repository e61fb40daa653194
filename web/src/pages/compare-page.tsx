/** Two runs side by side: summaries per model and the results whose verdict changed. */
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Page, Run, RunResult, TestCase } from '../api/types';
import { ServerComparison } from '../components/server-comparison';
import { compareResults, countChanges } from '../lib/compare-runs';
import { routeHref } from '../lib/hash-route';
import { verdictLabel, verdictOf } from '../lib/result-filter';
import { errorText } from '../use-api';
import { loadAllTestCases } from './card-page';

async function loadRun(id: string): Promise<{ run: Run; results: RunResult[] }> {
  const run = await api<Run>(`/api/runs/${id}`);
  const results: RunResult[] = [];
  for (let after = ''; ;) {
    const page = await api<Page<RunResult>>(`/api/runs/${id}/results?limit=500${after}`);
    results.push(...page.items);
    if (page.next === null) return { run, results };
    after = `&after=${page.next}`;
  }
}

export function ComparePage({ base, head }: { base: string; head: string }) {
  const [data, setData] = useState<{
    base: Awaited<ReturnType<typeof loadRun>>;
    head: Awaited<ReturnType<typeof loadRun>>;
    cases: TestCase[];
  }>();
  const [error, setError] = useState<unknown>();
  const [onlyChanges, setOnlyChanges] = useState(true);
  useEffect(() => {
    Promise.all([loadRun(base), loadRun(head)])
      .then(async ([b, h]) =>
        setData({
          base: b,
          head: h,
          cases: await loadAllTestCases(h.run.prompt_card_id).catch(() => []),
        }),
      )
      .catch(setError);
  }, [base, head]);
  const pairs = useMemo(
    () => (data === undefined ? [] : compareResults(data.base.results, data.head.results)),
    [data],
  );
  if (error !== undefined) return <p className="panel fail">{errorText(error)}</p>;
  if (data === undefined) return <p className="panel muted">Loading both runs…</p>;
  const counts = countChanges(pairs);
  const names = new Map(data.cases.map((c) => [c.id, c.name]));
  const shown = onlyChanges ? pairs.filter((p) => p.change !== 'same') : pairs;
  const models = [...new Set([...data.base.run.models, ...data.head.run.models])];

  return (
    <div className="compare-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={routeHref({ page: 'card', cardId: data.head.run.prompt_card_id })}>Card</a> ›
        compare runs
      </nav>
      <section className="panel" aria-labelledby="compare-heading">
        <h1 id="compare-heading">Compare runs</h1>
        <ServerComparison base={base} head={head} />
        <p className="muted small-text">
          Compared in the browser: results matched by test case, model and repetition.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">
                <a href={routeHref({ page: 'run', runId: base })}>Earlier</a> pass rate
              </th>
              <th scope="col">
                <a href={routeHref({ page: 'run', runId: head })}>Later</a> pass rate
              </th>
              <th scope="col">Mean score (earlier → later)</th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => {
              const b = data.base.run.summary.find((s) => s.model === model);
              const h = data.head.run.summary.find((s) => s.model === model);
              const pct = (v: number | null | undefined) =>
                v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`;
              return (
                <tr key={model}>
                  <td>{model}</td>
                  <td>{pct(b?.pass_rate)}</td>
                  <td>{pct(h?.pass_rate)}</td>
                  <td>
                    {b?.mean_score?.toFixed(3) ?? '–'} → {h?.mean_score?.toFixed(3) ?? '–'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p data-testid="verdict-changes">
          <span className="pass">{counts.fixed} fixed</span> ·{' '}
          <span className="fail">{counts.regressed} regressed</span> · {counts.changed} changed ·{' '}
          {counts.same} same · {counts.added} only later · {counts.removed} only earlier
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={onlyChanges}
            onChange={(e) => setOnlyChanges(e.target.checked)}
          />{' '}
          Only verdict changes
        </label>
        <div className="table-scroll" role="region" aria-label="Pairs" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Test case</th>
                <th scope="col">Model</th>
                <th scope="col">Repetition</th>
                <th scope="col">Earlier</th>
                <th scope="col">Later</th>
                <th scope="col">Change</th>
                <th scope="col">Later output</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, 1000).map((pair) => (
                <tr key={pair.key}>
                  <td>{names.get(pair.test_case_id) ?? pair.test_case_id.slice(0, 8)}</td>
                  <td>{pair.model}</td>
                  <td>{pair.repetition}</td>
                  <td>{pair.base === undefined ? '–' : verdictLabel(verdictOf(pair.base))}</td>
                  <td>{pair.head === undefined ? '–' : verdictLabel(verdictOf(pair.head))}</td>
                  <td
                    className={
                      pair.change === 'regressed' ? 'fail' : pair.change === 'fixed' ? 'pass' : ''
                    }
                  >
                    {pair.change}
                  </td>
                  <td className="truncate">
                    {pair.head?.output ?? pair.head?.error?.message ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > 1000 && <p className="muted">First 1,000 of {shown.length} shown.</p>}
        </div>
      </section>
    </div>
  );
}
