/** Reads NAB's CSV files and its label windows into row-indexed form. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RowWindow } from './nab-scorer.js';

export interface NabFile {
  /** `<category>/<file>.csv`, as in labels.json. */
  readonly name: string;
  readonly category: string;
  readonly times: number[];
  readonly values: number[];
  readonly windows: RowWindow[];
}

/** Every labelled file of a corpus laid out as `<dir>/labels.json` and `<dir>/data/<name>`. */
export function readNabCorpus(dir: string): NabFile[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<
    string,
    [string, string][]
  >;
  return Object.entries(labels).map(([name, windows]) => {
    const { times, values } = readNabCsv(join(dir, 'data', name));
    const category = name.split('/')[0] ?? name;
    return { name, category, times, values, windows: windowsToRows(times, windows) };
  });
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` (no zone) → milliseconds, read as UTC. */
export function nabTime(text: string): number {
  return Date.parse(`${text.trim().replace(' ', 'T').slice(0, 23)}Z`);
}

/** Rows of a `timestamp,<column>` CSV: times and the numeric column. */
export function readNabCsv(file: string): { times: number[]; values: number[] } {
  const times: number[] = [];
  const values: number[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (line.trim() === '') continue;
    const comma = line.indexOf(',');
    times.push(nabTime(line.slice(0, comma)));
    values.push(Number(line.slice(comma + 1)));
  }
  return { times, values };
}

/** Label windows (inclusive timestamp bounds) as inclusive row indices of `times`. */
export function windowsToRows(
  times: readonly number[],
  windows: readonly (readonly [string, string])[],
): RowWindow[] {
  return windows.map(([start, end]) => {
    const from = nabTime(start);
    const to = nabTime(end);
    const left = times.findIndex((t) => t >= from);
    let right = left;
    while (right + 1 < times.length && (times[right + 1] ?? Infinity) <= to) right++;
    return { left, right };
  });
}
