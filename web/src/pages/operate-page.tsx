/**
 * Operate: every health check, alerts firing and their history, the model providers. The API
 * exposes no list of configured notifier channels, so integrations shown are those the health
 * checks and /api/models reveal (providers, Redis, analytics when its routes answer).
 */
import { useEffect, useState } from 'react';
import { apiKey } from '../api/client';
import type { ProviderModels } from '../api/types';
import { ScrollRegion } from '../components/scroll-region';
import { LoadMore } from '../components/load-more';
import { errorText, useApi } from '../use-api';
import { usePaged } from '../use-paged';

interface CheckResult {
  name: string;
  status: 'pass' | 'warn' | 'fail';
  critical: boolean;
  latency_ms: number;
  observed?: unknown;
  threshold?: unknown;
  message?: string;
}
interface Alert {
  fingerprint: string;
  name: string;
  severity: string;
  summary: string;
  startsAt: string;
  runbookUrl: string | null;
}
interface AlertEvent {
  id: string;
  name: string;
  status: string;
  severity: string;
  at: string;
}

/** /health/comprehensive answers 503 with the same body when unhealthy, so read it either way. */
function useHealth() {
  const [health, setHealth] = useState<{ status: string; checks: CheckResult[] } | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    const key = apiKey();
    fetch('/health/comprehensive', {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    })
      .then((r) => r.json() as Promise<{ status: string; checks: CheckResult[] }>)
      .then(setHealth, (e: unknown) => setError(errorText(e)));
  }, []);
  return { health, error };
}

/** `{a: {b: 1}, c: [2, 3]}` → `[['a.b', '1'], ['c', '2, 3']]`: what a check observed, readable. */
export function observedPairs(value: unknown, prefix = ''): [string, string][] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [[prefix, value]];
  if (typeof value !== 'object') return [[prefix, JSON.stringify(value)]];
  if (Array.isArray(value))
    return [
      [
        prefix,
        value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', '),
      ],
    ];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
    observedPairs(inner, prefix === '' ? key : `${prefix}.${key}`),
  );
}

/** An observed value or threshold as key/value lines (a plain value as itself). */
function Observed({ value }: { value: unknown }) {
  const pairs = observedPairs(value);
  if (pairs.length === 1 && pairs[0][0] === '') return <>{pairs[0][1]}</>;
  return (
    <dl className="kv">
      {pairs.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Runbook links are repository paths (`docs/runbooks/X.md`), served by the service at `/docs/…`. */
function runbookHref(url: string): string {
  return /^[a-z]+:\/\//i.test(url) || url.startsWith('/') ? url : `/${url}`;
}

export function OperatePage() {
  const { health, error } = useHealth();
  const alerts = useApi<{ items: Alert[] }>('/api/alerts');
  const history = usePaged<AlertEvent>('/api/alerts/history?limit=50');
  const models = useApi<{ providers: ProviderModels[] }>('/api/models');
  const analytics = useApi<{ items?: unknown[] }>('/api/analytics/series');

  return (
    <div className="operate-page">
      <section className="panel" aria-labelledby="health-heading">
        <h1 id="health-heading">
          Health{' '}
          {health !== undefined && (
            <span className={`status status-${health.status}`}>{health.status}</span>
          )}
        </h1>
        {error !== '' && <p className="fail">{error}</p>}
        <ScrollRegion label="Health checks">
          <table className="health-table">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Status</th>
                <th scope="col">Critical</th>
                <th scope="col">Latency</th>
                <th scope="col">Observed</th>
                <th scope="col">Threshold</th>
              </tr>
            </thead>
            <tbody>
              {health?.checks.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td className={c.status === 'pass' ? 'pass' : 'fail'}>{c.status}</td>
                  <td>{c.critical ? 'yes' : 'no'}</td>
                  <td>{Math.round(c.latency_ms)} ms</td>
                  <td className="small-text">
                    <Observed value={c.observed ?? c.message} />
                  </td>
                  <td className="small-text">
                    <Observed value={c.threshold} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </section>
      <div className="two-columns">
        <section className="panel" aria-labelledby="alerts-heading">
          <h2 id="alerts-heading">Alerts firing</h2>
          {alerts.error !== undefined && <p className="fail">{errorText(alerts.error)}</p>}
          {alerts.data?.items.length === 0 && <p className="muted">Nothing is firing.</p>}
          <ul>
            {alerts.data?.items.map((a) => (
              <li key={a.fingerprint}>
                <span className={`tag severity-${a.severity}`}>{a.severity}</span>{' '}
                <strong>{a.name}</strong> {a.summary}{' '}
                <span className="muted">since {new Date(a.startsAt).toLocaleString()}</span>{' '}
                {a.runbookUrl !== null && <a href={runbookHref(a.runbookUrl)}>runbook</a>}
              </li>
            ))}
          </ul>
          <h2>History</h2>
          {history.error !== undefined && <p className="fail">{errorText(history.error)}</p>}
          {history.complete && history.items.length === 0 && (
            <p className="muted">No alert has changed state.</p>
          )}
          <ul data-testid="alert-history">
            {history.items.map((e) => (
              <li key={e.id}>
                {new Date(e.at).toLocaleString()} · <strong>{e.name}</strong> {e.status} (
                {e.severity})
              </li>
            ))}
          </ul>
          <LoadMore noun="state changes" {...history} />
        </section>
        <section className="panel" aria-labelledby="integrations-heading">
          <h2 id="integrations-heading">Integrations</h2>
          <ul>
            {models.data?.providers.map((p) => (
              <li key={p.provider}>
                Model provider <strong>{p.provider}</strong>
                {p.simulated && <span className="tag simulated">simulated</span>}:{' '}
                {p.error === undefined ? (
                  <span className="pass">{p.models.length} models</span>
                ) : (
                  <span className="fail">unreachable ({p.error.message})</span>
                )}
              </li>
            ))}
            <li>
              Redis:{' '}
              {health?.checks.some((c) => c.name === 'redis') === true
                ? 'configured (health check runs)'
                : 'not configured'}
            </li>
            <li>
              Analytics: {analytics.error === undefined ? (analytics.loading ? '…' : 'on') : 'off'}
            </li>
          </ul>
        </section>
      </div>
    </div>
  );
}
