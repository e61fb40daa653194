/**
 * Production pass ratio per bucket (line) and the card's CI runs (squares) on one time axis,
 * 0–100 %, as an SVG that scales to its box. Each point has a tooltip (`<title>`).
 */
import type { RatioPoint } from '../lib/production';
import { percent } from '../lib/production';

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 40, right: 8, top: 8, bottom: 22 };

export function ProductionChart({
  production,
  runs,
  since,
  until,
  label,
}: {
  production: readonly RatioPoint[];
  runs: readonly RatioPoint[];
  since: number;
  until: number;
  label: string;
}) {
  const x = (at: number) =>
    PAD.left + ((at - since) / Math.max(1, until - since)) * (WIDTH - PAD.left - PAD.right);
  const y = (ratio: number) => PAD.top + (1 - ratio) * (HEIGHT - PAD.top - PAD.bottom);
  const line = production.map((p) => `${x(p.at).toFixed(1)},${y(p.ratio).toFixed(1)}`).join(' ');
  return (
    <figure className="production-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
        {[0, 0.5, 1].map((r) => (
          <g key={r}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(r)} y2={y(r)} stroke="#d0d5dd" />
            <text x={PAD.left - 4} y={y(r) + 4} textAnchor="end" fontSize="11" fill="#444">
              {percent(r)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 6} fontSize="11" fill="#444">
          {new Date(since).toLocaleString()}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} fontSize="11" fill="#444" textAnchor="end">
          {new Date(until).toLocaleString()}
        </text>
        {production.length > 1 && (
          <polyline points={line} fill="none" stroke="#1a56b8" strokeWidth="2" />
        )}
        {production.map((p) => (
          <circle key={`p${p.at}`} cx={x(p.at)} cy={y(p.ratio)} r="3.5" fill="#1a56b8">
            <title>{p.label}</title>
          </circle>
        ))}
        {runs.map((p) => (
          <rect
            key={`r${p.at}`}
            x={x(p.at) - 4}
            y={y(p.ratio) - 4}
            width="8"
            height="8"
            fill="#b35900"
          >
            <title>{p.label}</title>
          </rect>
        ))}
      </svg>
      <figcaption className="small-text">
        <span className="legend-production">●</span> production pass ratio{' '}
        <span className="legend-ci">■</span> CI runs
      </figcaption>
    </figure>
  );
}
