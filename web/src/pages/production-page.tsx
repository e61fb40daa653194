/**
 * A card on production traffic: the pass ratio of its online verdicts per hour or day beside
 * its CI runs, the failing spans with the assertion that failed and a link to the trace, and the
 * online rules that pick the spans.
 */
import { useState } from 'react';
import type { OnlineEvaluationSummary } from '../api/generated';
import type { AssertionType, Card, Page, Run } from '../api/types';
import { FailingSpans } from '../components/failing-spans';
import { OnlineRules } from '../components/online-rules';
import { ProductionChart } from '../components/production-chart';
import { routeHref } from '../lib/hash-route';
import { percent, productionPoints, runPoints, windowRatio } from '../lib/production';
import { errorText, useApi } from '../use-api';
import './production-page.css';

export function ProductionPage({ cardId }: { cardId: string }) {
  const [bucket, setBucket] = useState<'hour' | 'day'>('hour');
  const card = useApi<Card>(`/api/prompt-cards/${cardId}`);
  const types = useApi<{ items: AssertionType[] }>('/api/assertion-types');
  const runs = useApi<Page<Run>>(`/api/prompt-cards/${cardId}/runs?limit=100`);
  const summary = useApi<OnlineEvaluationSummary>(
    `/api/prompt-cards/${cardId}/online-evaluations/summary?bucket=${bucket}`,
  );

  if (card.error !== undefined) return <p className="panel fail">{errorText(card.error)}</p>;
  if (card.data === undefined) return <p className="panel muted">Loading…</p>;
  const current = card.data;
  const data = summary.data;
  const since = data === undefined ? 0 : Date.parse(data.since);
  const until = data === undefined ? 0 : Date.parse(data.until);
  const overall = data === undefined ? undefined : windowRatio(data);
  const span =
    bucket === 'hour'
      ? `last ${data?.items.length ?? 48} hours`
      : `last ${data?.items.length ?? 30} days`;
  const ciPoints = runPoints(runs.data?.items ?? [], since, until);
  const latestRun = runPoints(runs.data?.items ?? [], 0, Number.MAX_SAFE_INTEGER)[0];

  return (
    <div className="production-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={routeHref({ page: 'cards' })}>Cards</a> ›{' '}
        <a href={routeHref({ page: 'card', cardId })}>{current.title}</a> › Production
      </nav>
      <section className="panel" aria-labelledby="production-title">
        <h1 id="production-title">{current.title}: production</h1>
        <div className="production-head">
          <p data-testid="production-ratio">
            {overall === undefined
              ? 'Loading…'
              : overall.ratio === null
                ? `No judged span in the ${span}.`
                : `Pass ratio ${percent(overall.ratio)} of ${overall.judged} judged spans, ${span}.`}
            {latestRun !== undefined && ` Latest CI run: ${percent(latestRun.ratio)}.`}
          </p>
          <label>
            Per{' '}
            <select value={bucket} onChange={(e) => setBucket(e.target.value as 'hour' | 'day')}>
              <option value="hour">hour (48 h)</option>
              <option value="day">day (30 days)</option>
            </select>
          </label>
          <button type="button" className="link" onClick={summary.reload}>
            Refresh
          </button>
        </div>
        {summary.error !== undefined && <p className="fail">{errorText(summary.error)}</p>}
        {data !== undefined && (
          <ProductionChart
            production={productionPoints(data)}
            runs={ciPoints}
            since={since}
            until={until}
            label={`Production pass ratio per ${bucket} and ${ciPoints.length} CI runs, ${span}`}
          />
        )}
      </section>
      {(data !== undefined || summary.error !== undefined) && (
        <FailingSpans cardId={cardId} traceTemplate={data?.trace_url_template ?? null} />
      )}
      <OnlineRules cardId={cardId} variables={current.variables} types={types.data?.items ?? []} />
    </div>
  );
}
