/**
 * Writes a prom-client registry as Prometheus text (0.0.4) or OpenMetrics 1.0, yielding to the
 * event loop between chunks so a large scrape never blocks requests for long. prom-client's
 * own `metrics()` picks one format per registry and renames counters in place for
 * OpenMetrics; serving both formats from one registry needs a serializer of our own.
 */
import type { Metric, Registry, RegistryContentType } from 'prom-client';

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

function escapeLabel(value: string): string {
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
  const parts: string[] = [];
  const names = Object.keys(labels);
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
export async function serialize(
  registry: Registry<RegistryContentType>,
  format: ExpositionFormat,
): Promise<string> {
  const openMetrics = format === 'openmetrics';
  const chunks: string[] = [];
  let sliceStart = performance.now();
  // getMetricsAsArray() is typed as plain objects; at run time they are the metric instances.
  for (const metric of registry.getMetricsAsArray() as unknown as Metric[]) {
    // get() runs collect() callbacks (default metrics, gauges read at scrape time).
    const data = (await metric.get()) as unknown as {
      name: string;
      help: string;
      type: string;
      values: Sample[];
    };
    const isCounter = data.type === 'counter';
    const family = openMetrics && isCounter ? data.name.replace(/_total$/, '') : data.name;
    const lines: string[] = [
      `# HELP ${family} ${escapeHelp(data.help)}`,
      `# TYPE ${family} ${data.type}`,
    ];
    for (const sample of data.values) {
      let name = sample.metricName ?? data.name;
      if (openMetrics && isCounter && !name.endsWith('_total')) name = `${name}_total`;
      let line = `${name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`;
      if (openMetrics && sample.exemplar !== undefined && sample.exemplar !== null) {
        const ex = sample.exemplar;
        // prom-client stamps exemplars in seconds already.
        const ts = ex.timestamp === undefined ? '' : ` ${formatValue(ex.timestamp)}`;
        line += ` # ${formatLabels(ex.labelSet) || '{}'} ${formatValue(ex.value)}${ts}`;
      }
      lines.push(line);
      if (lines.length % 512 === 0 && performance.now() - sliceStart > SLICE_MS) {
        chunks.push(lines.splice(0).join('\n'));
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
    chunks.push(lines.join('\n'));
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  const body = chunks.filter((c) => c !== '').join('\n');
  return openMetrics ? `${body}\n# EOF\n` : `${body}\n`;
}
