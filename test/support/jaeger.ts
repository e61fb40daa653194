/**
 * The real Jaeger v2 (`jaeger` built from github.com/jaegertracing/jaeger/cmd/jaeger by
 * `scripts/install-engines.sh jaeger`) for one test file: the memory store, the OTLP/HTTP
 * receiver and the query API (the HTTP JSON API of the UI, `/api/traces/{id}`) on free
 * 127.0.0.1 ports; no internal telemetry port.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnEngine, untilReady, type EngineProcess } from './engine-cache.js';
import { tempDir } from './temp-dir.js';
import { closedPort } from './wire-server.js';

export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly tags: { key: string; type: string; value: unknown }[];
  readonly processID: string;
}

export interface Jaeger {
  /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`). */
  readonly otlpUrl: string;
  /** The query service's base URL. */
  readonly queryUrl: string;
  /** The spans of a trace (32 hex digits), or [] when Jaeger has none. */
  trace(traceId: string): Promise<JaegerSpan[]>;
  dispose(): Promise<void>;
}

/** Starts Jaeger from the engine folder `dir` (see engine-cache.ts). */
export async function startJaeger(dir: string): Promise<Jaeger> {
  const work = tempDir('pcs-jaeger-');
  const [otlp, query, grpc] = [await closedPort(), await closedPort(), await closedPort()];
  const config = join(work.path, 'config.yaml');
  writeFileSync(
    config,
    `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:${query}
    grpc:
      endpoint: 127.0.0.1:${grpc}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlp}
processors:
  batch:
    timeout: 100ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`,
  );
  const queryUrl = `http://127.0.0.1:${query}`;
  const engine: EngineProcess = spawnEngine(join(dir, 'bin', 'jaeger'), ['--config', config]);
  await untilReady(`Jaeger at ${queryUrl}`, engine, () =>
    fetch(`${queryUrl}/api/services`).then((r) => r.ok),
  );
  return {
    otlpUrl: `http://127.0.0.1:${otlp}`,
    queryUrl,
    async trace(traceId) {
      const response = await fetch(`${queryUrl}/api/traces/${traceId}`);
      if (response.status === 404) return [];
      const body = (await response.json()) as { data?: { spans: JaegerSpan[] }[] };
      return body.data?.[0]?.spans ?? [];
    },
    async dispose() {
      await engine.stop();
      work.remove();
    },
  };
}

/** A span's tag value by key. */
export const tag = (span: JaegerSpan, key: string): unknown =>
  span.tags.find((t) => t.key === key)?.value;
