/**
 * InfluxDB line protocol (docs.influxdata.com, "Line protocol"):
 * `measurement,tag=v field=1.5,other="text" <timestamp>`, with the documented escaping:
 * commas and spaces in measurements; commas, equals signs and spaces in tag keys, tag values
 * and field keys (where a trailing backslash is dropped, see `escapeKey`); double quotes and
 * backslashes in string field values. Numbers are written
 * as floats (no `i` suffix), so a field never changes type between points; non-finite numbers
 * are left out (line protocol has no NaN). Timestamps are written in nanoseconds
 * (`precision=ns`): the point's millisecond plus a counter in the sub-millisecond digits, because
 * InfluxDB keeps one point per series and timestamp, and two results of one model can finish
 * in the same millisecond.
 */
export interface Point {
  readonly measurement: string;
  /** Indexed: keep their values few (no ids). */
  readonly tags: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, number | string | boolean | null>>;
  /** Epoch milliseconds. */
  readonly timestamp: number;
}

const escapeMeasurement = (s: string) => s.replace(/[\\, ]/g, (c) => `\\${c}`);
/**
 * Tag keys, tag values and field keys. InfluxDB's parser unescapes only `\,`, `\=` and `\ `
 * there and decides whether a separator is escaped by the one character before it, so a
 * backslash is written as is (escaping it would store it doubled), and a trailing one is
 * dropped: `a\` before the separator would escape it and swallow the rest of the line, and
 * InfluxDB would reject the line (with the batch's other points) as malformed.
 */
const escapeKey = (s: string) => s.replace(/\\+$/, '').replace(/[,= ]/g, (c) => `\\${c}`);
const escapeString = (s: string) => s.replace(/["\\]/g, (c) => `\\${c}`);

function fieldValue(value: number | string | boolean): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `"${escapeString(value)}"`;
}

let counter = 0;

/** Epoch nanoseconds (as digits) of `ms`, unique per call within a millisecond. */
export function uniqueNanos(ms: number): string {
  counter = (counter + 1) % 1_000_000;
  return `${Math.round(ms)}${String(counter).padStart(6, '0')}`;
}

/** One line, or undefined when the point has no writable field. */
export function toLine(point: Point, nanos = uniqueNanos(point.timestamp)): string | undefined {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(point.fields)) {
    if (value === null) continue;
    const encoded = fieldValue(value);
    if (encoded !== undefined) fields.push(`${escapeKey(key)}=${encoded}`);
  }
  if (fields.length === 0) return undefined;
  // Tags sorted by key: InfluxDB's recommendation for write performance.
  const tags = Object.entries(point.tags)
    .map(([key, value]) => [escapeKey(key), escapeKey(value)] as const)
    .filter(([key, value]) => key !== '' && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `,${key}=${value}`)
    .join('');
  return `${escapeMeasurement(point.measurement)}${tags} ${fields.join(',')} ${nanos}`;
}
