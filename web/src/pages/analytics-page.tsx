/**
 * Analytics: a sampled series with its forecast band and anomalies (Recharts), a table when
 * there is nothing to chart, and a note when analytics are off (404 PCS_ERR_ANALYTICS_DISABLED).
 */
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ApiError } from '../api/client';
import {
  chartRows,
  horizonFor,
  RANGES,
  type Anomaly,
  type ForecastPoint,
  type SeriesPoint,
} from '../lib/analytics-chart';
import { formatTime } from '../lib/format';
import { oneOf } from '../lib/url-state';
import { errorText, useApi } from '../use-api';
import { useHashState } from '../use-hash-state';

const compactFormat = new Intl.NumberFormat(undefined, {
  notation: 'compact',
  maximumFractionDigits: 2,
});
const compact = (value: number) => compactFormat.format(value);

interface SeriesInfo {
  name: string;
  minutes: number;
}

/**
 * The series shown first: one that moves whenever the service is used (the alphabetically first
 * sampled series is a cost per day, a flat zero on simulated models).
 */
const PREFERRED = ['request_rate', 'latency_p95_seconds', 'heap_used_bytes'];

export function AnalyticsPage() {
  const list = useApi<{ series: SeriesInfo[] }>('/api/analytics/series');
  const [state, set] = useHashState({ series: '', range: '1h' });
  const picked = state.series === '' ? null : state.series;
  const range = oneOf(state.range, RANGES, '1h');
  if (list.error instanceof ApiError && list.error.status === 404)
    return (
      <section className="panel">
        <h1>Analytics</h1>
        <p className="muted" data-testid="analytics-off">
          Analytics are off on this server (ENABLE_ADVANCED_ANALYTICS=false).
        </p>
      </section>
    );
  if (list.error !== undefined) return <p className="panel fail">{errorText(list.error)}</p>;
  const series = list.data?.series ?? [];
  const sampled = series.filter((s) => s.minutes > 0);
  const name =
    picked ??
    PREFERRED.find((p) => sampled.some((s) => s.name === p)) ??
    sampled[0]?.name ??
    series[0]?.name ??
    null;
  return (
    <section className="panel" aria-labelledby="analytics-heading">
      <h1 id="analytics-heading">Analytics</h1>
      <div className="inline-fields">
        <label>
          Series
          <select value={name ?? ''} onChange={(e) => set({ series: e.target.value })}>
            {series.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name} ({s.minutes} min sampled)
              </option>
            ))}
          </select>
        </label>
        <label>
          Range
          <select value={range} onChange={(e) => set({ range: e.target.value })}>
            {RANGES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
      </div>
      {name !== null && <SeriesChart key={`${name}/${range}`} name={name} range={range} />}
    </section>
  );
}

function SeriesChart({ name, range }: { name: string; range: (typeof RANGES)[number] }) {
  const q = `series=${encodeURIComponent(name)}&range=${range}`;
  const points = useApi<{ step_seconds: number; points: SeriesPoint[] }>(
    `/api/analytics/series?${q}`,
  );
  const forecast = useApi<{ method: string; forecast: ForecastPoint[] }>(
    `/api/analytics/forecast?${q}&horizon=${horizonFor(range)}`,
  );
  const anomalies = useApi<{ anomalies: Anomaly[] }>(
    `/api/analytics/anomalies?series=${encodeURIComponent(name)}`,
  );
  if (points.error !== undefined) return <p className="fail">{errorText(points.error)}</p>;
  if (points.data === undefined) return <p className="muted">Loading…</p>;
  const found = anomalies.data?.anomalies ?? [];
  const rows = chartRows(
    points.data.points,
    forecast.data?.forecast ?? [],
    found,
    points.data.step_seconds * 1000,
  );
  const time = (t: number) =>
    new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return (
    <>
      <p className="muted small-text">
        {forecast.data !== undefined
          ? `Forecast by ${forecast.data.method}, ${horizonFor(range)} ahead, with its prediction interval.`
          : forecast.error !== undefined
            ? `No forecast: ${errorText(forecast.error)}`
            : ''}
      </p>
      {rows.length === 0 ? (
        <p className="muted" data-testid="analytics-empty">
          No samples in this range yet.
        </p>
      ) : (
        <ResponsiveContainer width="100%" height={280}>
          <ComposedChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="time"
              type="number"
              domain={['dataMin', 'dataMax']}
              scale="time"
              tickFormatter={time}
            />
            <YAxis tickFormatter={compact} width={64} />
            <Tooltip
              labelFormatter={(t) => formatTime(Number(t))}
              formatter={(value) =>
                Array.isArray(value)
                  ? value.map((v) => compact(Number(v))).join(' – ')
                  : compact(Number(value))
              }
            />
            <Legend />
            <Area
              dataKey="band"
              name="forecast interval"
              fill="#c6dcff"
              stroke="none"
              isAnimationActive={false}
            />
            <Line
              dataKey="value"
              name={name}
              stroke="#1f5fbf"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              dataKey="mean"
              name="forecast"
              stroke="#6a3fb5"
              strokeDasharray="4 3"
              dot={false}
              isAnimationActive={false}
            />
            {/* A line of dots only, not a Scatter: a Scatter puts its x value (epoch ms) in the
                tooltip as "time : 1796601153837". */}
            <Line
              dataKey="anomaly"
              name="anomaly"
              stroke="none"
              dot={{ r: 4, fill: '#b3261e', stroke: '#b3261e' }}
              activeDot={false}
              legendType="circle"
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      )}
      <h2>Anomalies ({found.length})</h2>
      {found.length === 0 ? (
        <p className="muted">None recorded for this series.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Value</th>
              <th scope="col">Severity</th>
            </tr>
          </thead>
          <tbody>
            {found.map((a) => (
              <tr key={a.at}>
                <td>{new Date(a.at).toLocaleString()}</td>
                <td>{a.value}</td>
                <td>{a.severity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
