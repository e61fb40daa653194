/**
 * Reads Prometheus/OpenMetrics text exposition into samples, so tests check parsed values,
 * not substrings. Label values are unescaped per the format (\\, \", \n); exemplars and
 * timestamps after the value are read and ignored. The real format check is promtool's, in
 * the system suite.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: Sample[];
  /** `# TYPE` of each family. */
  readonly types: Record<string, string>;
}

function parseLabels(text: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start;
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq).trim();
    if (text[eq + 1] !== '"') throw new Error(`bad label value in: ${text}`);
    let value = '';
    let j = eq + 2;
    for (; text[j] !== '"'; j++) {
      if (text[j] === '\\') {
        j++;
        value += text[j] === 'n' ? '\n' : text[j];
      } else {
        value += text[j];
      }
      if (j >= text.length) throw new Error(`unterminated label value in: ${text}`);
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return { labels, end: i + 1 };
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type?.[1] !== undefined && type[2] !== undefined) types[type[1]] = type[2];
      continue;
    }
    const brace = line.indexOf('{');
    const space = line.indexOf(' ');
    let name: string;
    let labels: Record<string, string> = {};
    let rest: string;
    if (brace >= 0 && brace < space) {
      name = line.slice(0, brace);
      const parsed = parseLabels(line, brace + 1);
      labels = parsed.labels;
      rest = line.slice(parsed.end).trim();
    } else {
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const value = parseValue(rest.split(' ')[0] ?? '');
    if (Number.isNaN(value) && rest.split(' ')[0] !== 'NaN')
      throw new Error(`bad value in: ${line}`);
    samples.push({ name, labels, value });
  }
  return { samples, types };
}

function matches(labels: Record<string, string>, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/** Sum of the values of every sample named `name` whose labels include `labels`. */
export function valueOf(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
): number {
  return exposition.samples
    .filter((s) => s.name === name && matches(s.labels, labels))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Count, sum, bucket counts and number of series of a histogram over series matching `labels`. */
export function histogramOf(
  exposition: Exposition,
  name: string,
  labels: Record<string, string> = {},
) {
  const buckets: Record<string, number> = {};
  for (const s of exposition.samples) {
    if (s.name === `${name}_bucket` && matches(s.labels, labels)) {
      const le = s.labels.le ?? '';
      buckets[le] = (buckets[le] ?? 0) + s.value;
    }
  }
  return {
    series: exposition.samples.filter(
      (s) => s.name === `${name}_count` && matches(s.labels, labels),
    ).length,
    count: valueOf(exposition, `${name}_count`, labels),
    sum: valueOf(exposition, `${name}_sum`, labels),
    buckets,
  };
}

/** Every distinct value of one label across the samples of `name`. */
export function labelValues(exposition: Exposition, name: string, label: string): string[] {
  return [
    ...new Set(exposition.samples.filter((s) => s.name === name).map((s) => s.labels[label] ?? '')),
  ].sort();
}

/** Number of distinct series (label sets) of `name`. */
export function seriesCount(exposition: Exposition, name: string): number {
  return exposition.samples.filter((s) => s.name === name).length;
}
