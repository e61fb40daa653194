/** Pass rate and mean score per model across a card's runs, tokens and cost per run (Recharts). */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Run } from '../api/types';
import { perModelSeries, usagePerRun } from '../lib/chart-data';

export const PALETTE = ['#1f5fbf', '#b3261e', '#137333', '#8a4f00', '#6a3fb5', '#00696b'];

export function RunCharts({ runs }: { runs: readonly Run[] }) {
  const passRates = perModelSeries(runs, 'pass_rate');
  const scores = perModelSeries(runs, 'mean_score');
  const usage = usagePerRun(runs);
  if (passRates.rows.length < 2)
    return <p className="muted">Charts appear after two runs with results.</p>;
  return (
    <div className="charts">
      <figure>
        <figcaption>Pass rate per model (%)</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={passRates.rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="run" />
            <YAxis domain={[0, 100]} />
            <Tooltip />
            <Legend />
            {passRates.models.map((m, i) => (
              <Line
                key={m}
                dataKey={m}
                stroke={PALETTE[i % PALETTE.length]}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Mean score per model</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <LineChart data={scores.rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="run" />
            <YAxis domain={[0, 1]} />
            <Tooltip />
            {scores.models.map((m, i) => (
              <Line
                key={m}
                dataKey={m}
                stroke={PALETTE[i % PALETTE.length]}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure>
        <figcaption>Tokens per run</figcaption>
        <ResponsiveContainer width="100%" height={160}>
          <BarChart data={usage}>
            <XAxis dataKey="run" />
            <YAxis />
            <Tooltip />
            <Bar dataKey="tokens" fill="#1f5fbf" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
