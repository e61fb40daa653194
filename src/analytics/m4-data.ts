/** Reads the M4 CSV layout: a quoted header, then `"id","v1","v2",…` rows padded with `""`. */
import { readFileSync } from 'node:fs';

export function readM4Series(file: string): Map<string, number[]> {
  const series = new Map<string, number[]>();
  const lines = readFileSync(file, 'utf8').split('\n').slice(1);
  for (const line of lines) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
    const [id, ...values] = cells;
    if (id === undefined) continue;
    series.set(id, values.filter((v) => v.trim() !== '').map(Number));
  }
  return series;
}
