/**
 * One card on the home page: latest pass rate per model, change against the run before, the
 * server's regression verdict (from GET /api/runs/:id/compare/:baseline), firing alerts and the
 * trend over the last runs.
 */
import type { Card, RunComparison, StoredAlert } from '../api/types';
import { percent, signedPoints, verdictWords } from '../lib/format';
import { routeHref } from '../lib/hash-route';
import type { CardStatus } from '../lib/home-status';
import { Sparkline } from './sparkline';

export function CardStatusRow(props: {
  card: Card;
  status: CardStatus | undefined;
  comparison: RunComparison | undefined;
  firing: readonly StoredAlert[];
}) {
  const { card, status, comparison, firing } = props;
  const latest = status?.latest;
  const regressed = comparison?.models.filter((m) => m.verdict === 'regression') ?? [];
  return (
    <li className="card-status" data-testid="card-status">
      <div className="card-status-title">
        <a href={routeHref({ page: 'card', cardId: card.id })}>{card.title}</a>
        <span className="muted small-text"> · {card.test_case_count} test cases</span>
        {card.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </div>
      <div className="card-status-body">
        {latest === undefined ? (
          <span className="muted">{status === undefined ? 'Loading…' : 'Never run'}</span>
        ) : (
          <ul className="pass-rates">
            {latest.summary.map((s) => {
              const delta = status?.deltas.get(s.model);
              const low =
                card.pass_rate_threshold !== null &&
                s.pass_rate !== null &&
                s.pass_rate < card.pass_rate_threshold;
              return (
                <li key={s.model}>
                  <span className="nowrap">{s.model}</span>{' '}
                  <strong className={low ? 'fail' : 'pass'} data-testid="pass-rate">
                    {percent(s.pass_rate)}
                  </strong>
                  {delta !== undefined && (
                    <span className={delta < 0 ? 'fail small-text' : 'muted small-text'}>
                      {' '}
                      {signedPoints(delta)}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <Sparkline
          values={status?.trend ?? []}
          label={`Pass rate over the last ${status?.trend.length ?? 0} runs`}
        />
        <div className="card-status-flags">
          {regressed.map((m) => (
            <span key={m.model} className="tag flag-bad" data-testid="regressed">
              {verdictWords(m.verdict)} on {m.model}
            </span>
          ))}
          {firing.map((a) => (
            <span key={a.fingerprint} className="tag flag-bad" title={a.summary}>
              firing: {a.name}
            </span>
          ))}
          {latest !== undefined && regressed.length === 0 && firing.length === 0 && (
            <span className="tag flag-ok">OK</span>
          )}
          {latest !== undefined && (
            <a className="small-text" href={routeHref({ page: 'run', runId: latest.id })}>
              latest run
            </a>
          )}
        </div>
      </div>
    </li>
  );
}
