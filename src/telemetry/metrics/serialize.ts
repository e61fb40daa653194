/**
 * Writes a prom-client registry as Prometheus text (0.0.4) or OpenMetrics 1.0, yielding to the
 * event loop between chunks so a large scrape never blocks requests for long. prom-client's
 * own `metrics()` picks one format per registry and renames counters in place for
 * OpenMetrics; serving both formats from one registry needs a serializer of our own.
 */
import type { Registry, RegistryContentType } from 'prom-client';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Yield after this much uninterrupted work (ms). */
const SLICE_MS = 8;

interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  exemplar?: {
    labelSet: Record<string, string | number>;
    value: number;
    timestamp?: number;
  } | null;
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabel(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `le` goes last, as Prometheus's own clients write it (prom-client puts it first). */
function formatLabels(labels: Record<string, string | number>): string {
  const names = Object.keys(labels);
  if (names.length === 0) return '';
  const parts: string[] = [];
  const le = names.indexOf('le');
  if (le >= 0 && le !== names.length - 1) names.push(...names.splice(le, 1));
  for (const name of names) {
    const raw = labels[name];
    if (raw === undefined) continue;
    const text = typeof raw === 'number' ? formatValue(raw) : raw;
    parts.push(`${name}="${escapeLabel(text)}"`);
  }
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Picks the format from an Accept header, as Prometheus negotiates it. */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  return accept !== undefined && accept.includes('application/openmetrics-text')
    ? 'openmetrics'
    : 'prometheus';
}

// The registry's content-type parameter only matters to prom-client's own serializer.
/**
 * What serialize() reads of a prom-client 15 metric. Reading the series map directly, instead
 * of `get()`, lets a scrape of 100,000 series yield between chunks: `get()` builds every
 * series of a metric in one synchronous call. Metrics without these fields (other types,
 * other prom-client versions) fall back to `get()`; a unit test compares both paths.
 */
interface SeriesEntry {
  labels: Record<string, string | number>;
  value?: number;
  exemplar?: Sample['exemplar'];
  bucketValues?: Record<string, number>;
  bucketExemplars?: Record<string, Sample['exemplar']> | null;
  sum?: number;
  count?: number;
}

interface InternalMetric {
  name: string;
  help: string;
  type: string;
  hashMap?: Record<string, SeriesEntry>;
  upperBounds?: number[];
  collect?: () => unknown;
  get(): Promise<unknown>;
}

function canReadDirectly(metric: InternalMetric): boolean {
  if (metric.hashMap === undefined) return false;
  if (metric.type === 'counter' || metric.type === 'gauge') return true;
  return metric.type === 'histogram' && Array.isArray(metric.upperBounds);
}

/** The samples of one series entry, as the text format lists them. */
function entrySamples(metric: InternalMetric, entry: SeriesEntry): Sample[] {
  if (metric.type !== 'histogram') {
    return [{ value: entry.value ?? 0, labels: entry.labels, exemplar: entry.exemplar ?? null }];
  }
  const samples: Sample[] = [];
  let cumulative = 0;
  for (const bound of metric.upperBounds ?? []) {
    cumulative += entry.bucketValues?.[bound] ?? 0;
    samples.push({
      metricName: `${metric.name}_bucket`,
      value: cumulative,
      labels: { ...entry.labels, le: bound },
      exemplar: entry.bucketExemplars?.[bound] ?? null,
    });
  }
  samples.push({
    metricName: `${metric.name}_bucket`,
    value: entry.count ?? 0,
    labels: { ...entry.labels, le: '+Inf' },
    exemplar: entry.bucketExemplars?.['-1'] ?? null,
  });
  samples.push({ metricName: `${metric.name}_sum`, value: entry.sum ?? 0, labels: entry.labels });
  samples.push({
    metricName: `${metric.name}_count`,
    value: entry.count ?? 0,
    labels: entry.labels,
  });
  return samples;
}

function formatSample(sample: Sample, name: string, openMetrics: boolean): string {
  let line = `${name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`;
  if (openMetrics && sample.exemplar !== undefined && sample.exemplar !== null) {
    const ex = sample.exemplar;
    if (Object.keys(ex.labelSet).length > 0) {
      // prom-client stamps exemplars in seconds already.
      const ts = ex.timestamp === undefined ? '' : ` ${formatValue(ex.timestamp)}`;
      line += ` # ${formatLabels(ex.labelSet)} ${formatValue(ex.value)}${ts}`;
    }
  }
  return line;
}

// The registry's content-type parameter only matters to prom-client's own serializer.
export async function serialize(
  registry: Registry<RegistryContentType>,
  format: ExpositionFormat,
): Promise<string> {
  const openMetrics = format === 'openmetrics';
  const chunks: string[] = [];
  let lines: string[] = [];
  let sliceStart = performance.now();
  const maybeYield = async () => {
    if (performance.now() - sliceStart <= SLICE_MS) return;
    chunks.push(lines.join('\n'));
    lines = [];
    await yieldToLoop();
    sliceStart = performance.now();
  };
  // getMetricsAsArray() is typed as plain objects; at run time they are the metric instances.
  for (const metric of registry.getMetricsAsArray() as unknown as InternalMetric[]) {
    const isCounter = metric.type === 'counter';
    const sampleName = (sample: Sample) => {
      const name = sample.metricName ?? metric.name;
      return openMetrics && isCounter && !name.endsWith('_total') ? `${name}_total` : name;
    };
    const family = openMetrics && isCounter ? metric.name.replace(/_total$/, '') : metric.name;
    lines.push(`# HELP ${family} ${escapeHelp(metric.help)}`, `# TYPE ${family} ${metric.type}`);
    if (canReadDirectly(metric)) {
      if (metric.collect !== undefined) await metric.collect();
      // Object.keys, then lookups in chunks: enumerating a large dictionary-mode object is the
      // one step that cannot be split, and Object.keys costs about a third of Object.values.
      const map = metric.hashMap ?? {};
      const keys = Object.keys(map);
      for (let i = 0; i < keys.length; i++) {
        const entry = map[keys[i] ?? ''];
        if (entry === undefined) continue;
        for (const sample of entrySamples(metric, entry))
          lines.push(formatSample(sample, sampleName(sample), openMetrics));
        if ((i & 255) === 255) await maybeYield();
      }
    } else {
      const data = (await metric.get()) as { values: Sample[] };
      for (const sample of data.values)
        lines.push(formatSample(sample, sampleName(sample), openMetrics));
    }
    await maybeYield();
  }
  chunks.push(lines.join('\n'));
  const body = chunks.filter((c) => c !== '').join('\n');
  return openMetrics ? `${body}\n# EOF\n` : `${body}\n`;
}
