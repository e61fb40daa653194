/**
 * One time axis for a series, its forecast and its anomalies (GET /api/analytics/series,
 * /forecast, /anomalies): history points carry `value`, forecast points `mean` and `band`
 * ([lower, upper]), and a history point that is an anomaly also `anomaly` (its value).
 */
export interface SeriesPoint {
  t: string;
  v: number;
}
export interface ForecastPoint {
  t: string;
  mean: number;
  lower: number;
  upper: number;
}
export interface Anomaly {
  at: string;
  value: number;
  severity: string;
}

export interface ChartRow {
  time: number;
  value?: number;
  mean?: number;
  band?: [number, number];
  anomaly?: number;
}

/**
 * Rows sorted by time. An anomaly lands on the history point nearest to it within `stepMs`
 * (samples are rolled up into steps, so its own time is rarely a point's).
 */
export function chartRows(
  points: readonly SeriesPoint[],
  forecast: readonly ForecastPoint[],
  anomalies: readonly Anomaly[],
  stepMs: number,
): ChartRow[] {
  const rows: ChartRow[] = points.map((p) => ({ time: Date.parse(p.t), value: p.v }));
  for (const anomaly of anomalies) {
    const at = Date.parse(anomaly.at);
    let nearest: ChartRow | undefined;
    for (const row of rows)
      if (nearest === undefined || Math.abs(row.time - at) < Math.abs(nearest.time - at))
        nearest = row;
    if (nearest !== undefined && Math.abs(nearest.time - at) <= stepMs)
      nearest.anomaly = nearest.value;
  }
  for (const f of forecast)
    rows.push({ time: Date.parse(f.t), mean: f.mean, band: [f.lower, f.upper] });
  return rows.sort((a, b) => a.time - b.time);
}

/** Range → horizon of the forecast shown: a quarter of the range, at least the unit's one. */
export const RANGES = ['1h', '6h', '24h', '7d'] as const;
export function horizonFor(range: (typeof RANGES)[number]): string {
  return { '1h': '15m', '6h': '90m', '24h': '6h', '7d': '2d' }[range];
}
