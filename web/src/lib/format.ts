/** Numbers as people read them: signed differences, p-values in words, times not epoch ms. */

/** A pass-rate difference (a fraction) in percentage points with its sign: `+12.5 pts`, `−3.0 pts`. */
export function signedPoints(delta: number | null | undefined): string {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return '–';
  const points = delta * 100;
  if (Math.abs(points) < 0.05) return '±0.0 pts';
  return `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pts`;
}

/** A signed number with a unit: `+120 ms`, `−0.0012 USD`. */
export function signed(value: number | null | undefined, digits: number, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value === 0) return `±0 ${unit}`;
  return `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)} ${unit}`;
}

/** A p-value as a reader takes it: `p = 0.031 (significant at α = 0.05)`, `p < 0.001`. */
export function pValueWords(p: number | null | undefined, alpha: number): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'no p-value (no paired test)';
  const shown = p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
  return `${shown} (${p < alpha ? 'significant' : 'not significant'} at α = ${alpha})`;
}

/** The server's verdict word in the UI's vocabulary (the regression alert says "regressed"). */
export function verdictWords(verdict: string | undefined): string {
  switch (verdict) {
    case 'regression':
      return 'regressed';
    case 'improvement':
      return 'improved';
    case 'no_significant_change':
      return 'no significant change';
    default:
      return verdict ?? '–';
  }
}

/** An epoch-milliseconds instant as local date and time (`7 Dec 2026, 01:12:33`). */
export function formatTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) return '–';
  return new Date(epochMs).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A fraction as a percentage with one decimal, `–` when unknown. */
export function percent(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`;
}
