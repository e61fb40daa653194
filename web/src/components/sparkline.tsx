/** A pass-rate trend as a small inline SVG line (0–100 %), newest on the right. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const width = 120;
  const height = 28;
  if (values.length === 0) return <span className="muted small-text">no runs</span>;
  const step = values.length === 1 ? 0 : width / (values.length - 1);
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - v * (height - 4)).toFixed(1)}`)
    .join(' ');
  const last = values[values.length - 1];
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
    >
      <polyline points={points} fill="none" stroke="#1a56b8" strokeWidth="2" />
      <circle
        cx={(values.length - 1) * step}
        cy={height - 2 - last * (height - 4)}
        r="2.5"
        fill="#1a56b8"
      />
    </svg>
  );
}
