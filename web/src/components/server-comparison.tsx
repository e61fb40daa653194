/**
 * The server's own comparison (`GET /api/runs/:id/compare/:baseline`, with its significance test
 * and verdict), where the server has the route; otherwise a note that the comparison below is
 * the browser's.
 */
import { isMissingRoute } from '../api/client';
import { errorText, useApi } from '../use-api';

/** As the server sends it: a value it cannot compute is null (e.g. no p-value with repeat > 1). */
interface ModelComparison {
  model?: string;
  verdict?: string;
  pass_rate_delta?: number | null;
  p_value?: number | null;
}

export function ServerComparison({ base, head }: { base: string; head: string }) {
  const comparison = useApi<{ verdict?: string; models?: ModelComparison[] }>(
    `/api/runs/${encodeURIComponent(head)}/compare/${encodeURIComponent(base)}`,
  );
  if (comparison.loading) return null;
  if (comparison.error !== undefined)
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
      <h2>Server verdict: {data?.verdict ?? 'given'}</h2>
      {data?.models !== undefined && (
        <ul>
          {data.models.map((m, i) => (
            <li key={m.model ?? i}>
              {m.model}: {m.verdict ?? ''}
              {typeof m.pass_rate_delta !== 'number'
                ? ''
                : ` · pass rate ${(m.pass_rate_delta * 100).toFixed(1)} pts`}
              {typeof m.p_value !== 'number' ? '' : ` · p = ${m.p_value.toPrecision(2)}`}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Full answer</summary>
        <pre>{JSON.stringify(data, null, 2)}</pre>
      </details>
    </div>
  );
}
