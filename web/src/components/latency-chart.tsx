/** Latency distribution per model (answered calls), as a grouped bar chart. */
import { useMemo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { RunResult } from '../api/types';
import { latencyHistogram } from '../lib/chart-data';
import { PALETTE } from './run-charts';

/** `note` is added to the caption (e.g. how many of the run's results are loaded). */
export function LatencyChart({ results, note }: { results: readonly RunResult[]; note?: string }) {
  const data = useMemo(() => latencyHistogram(results), [results]);
  if (results.length === 0) return null;
  return (
    <figure className="latency-chart">
      <figcaption>
        Latency distribution per model (results per bucket, ms)
        {note === undefined ? '' : `; ${note}`}
      </figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={data.rows}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="le" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {data.models.map((m, i) => (
            <Bar key={m} dataKey={m} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
