/**
 * The server's own comparison (`GET /api/runs/:id/compare/:baseline`): per model the pass rate
 * before and after, the signed difference, the test's p-value and interval in words, and the
 * verdict in the words the regression alert uses ("regressed").
 */
import { isMissingRoute } from '../api/client';
import type { RunComparison } from '../api/types';
import { percent, pValueWords, signed, signedPoints, verdictWords } from '../lib/format';
import { errorText, useApi } from '../use-api';
import { ScrollRegion } from './scroll-region';

export function ServerComparison({ base, head }: { base: string; head: string }) {
  const comparison = useApi<RunComparison>(
    `/api/runs/${encodeURIComponent(head)}/compare/${encodeURIComponent(base)}`,
  );
  if (comparison.loading) return null;
  if (comparison.error !== undefined || comparison.data === undefined)
    return (
      <p className="muted small-text" data-testid="server-comparison">
        {isMissingRoute(comparison.error)
          ? 'This server offers no run comparison yet: the verdicts below are matched in the browser.'
          : `Server comparison failed: ${errorText(comparison.error)}`}
      </p>
    );
  const data = comparison.data;
  return (
    <div data-testid="server-comparison">
      <h2>
        Server verdict:{' '}
        <span
          className={
            data.verdict === 'regression' ? 'fail' : data.verdict === 'improvement' ? 'pass' : ''
          }
        >
          {verdictWords(data.verdict)}
        </span>
      </h2>
      <ScrollRegion label="Comparison per model">
        <table>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Verdict</th>
              <th scope="col">Pass rate</th>
              <th scope="col">Difference</th>
              <th scope="col">Evidence</th>
              <th scope="col">p95 latency</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {data.models.map((m) => (
              <tr key={m.model}>
                <td>{m.model}</td>
                <td
                  className={
                    m.verdict === 'regression' ? 'fail' : m.verdict === 'improvement' ? 'pass' : ''
                  }
                >
                  {verdictWords(m.verdict)}
                </td>
                <td className="nowrap">
                  {percent(m.baseline_pass_rate)} → {percent(m.candidate_pass_rate)}
                </td>
                <td data-testid="pass-rate-delta">{signedPoints(m.pass_rate_delta)}</td>
                <td className="small-text" data-testid="p-value">
                  {m.test === 'mcnemar_exact'
                    ? `McNemar exact test over ${m.paired_cases} paired cases: ${pValueWords(m.p_value, data.alpha)}`
                    : m.interval === null
                      ? 'bootstrap: no interval (too few cases)'
                      : `bootstrap ${Math.round((1 - data.alpha) * 100)} % interval of the difference: ${signedPoints(m.interval.lower)} to ${signedPoints(m.interval.upper)}`}
                </td>
                <td className="nowrap">{signed(m.latency_ms.p95_delta, 0, 'ms')}</td>
                <td className="nowrap">{signed(m.cost_usd_delta, 4, 'USD')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}
