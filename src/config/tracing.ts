/**
 * Tracing, from the standard OpenTelemetry variables. They are read before the application
 * loads (`tracingOptions`, which parses them with this slice), so they add nothing to `Config`.
 */
import { z } from 'zod';
import { defineSlice, httpUrl, text, variable } from './variable.js';

const between = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a number between ${min} and ${max}` })
    .min(min, `must be a number between ${min} and ${max}`)
    .max(max, `must be a number between ${min} and ${max}`);

const protocol = () =>
  z.enum(['http/protobuf', 'http/json'], {
    error: 'must be http/protobuf or http/json (grpc is not supported)',
  });

export const tracing = defineSlice({
  title: 'Tracing (OpenTelemetry)',
  readBy: 'the tracing start-up, before the application loads',
  env: {
    OTEL_EXPORTER_OTLP_ENDPOINT: variable(httpUrl(), {
      description:
        'OTLP/HTTP collector base URL (`http://127.0.0.1:4318`); traces go to `<endpoint>/v1/traces`. Unset (and no other endpoint): tracing is off and costs nothing.',
    }),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: variable(httpUrl(), {
      description:
        'Full OTLP/HTTP traces URL, used as is; wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
    }),
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: variable(httpUrl(), {
      description:
        'Full OTLP/HTTP logs URL for the `gen_ai.evaluation.result` log records, used as is; unset: `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/logs`, and no log records without either (Jaeger does not receive logs).',
    }),
    OTEL_EXPORTER_OTLP_PROTOCOL: variable(protocol(), {
      default: 'http/protobuf',
      description: '`http/protobuf` or `http/json` (gRPC is not supported).',
    }),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: variable(protocol(), {
      description: 'The protocol of traces only; wins over `OTEL_EXPORTER_OTLP_PROTOCOL`.',
    }),
    JAEGER_HOST: variable(text(), {
      description:
        'Without an OTLP endpoint, send OTLP/HTTP to this Jaeger host’s port 4318 (`JAEGER_PORT` is its UI).',
    }),
    OTEL_SERVICE_NAME: variable(text(), {
      default: 'prompt-card-backend',
      description: '`service.name` of every span.',
    }),
    OTEL_RESOURCE_ATTRIBUTES: variable(z.string(), {
      description:
        'Extra resource attributes, `key=value,…` (e.g. `deployment.environment.name=staging`).',
    }),
    OTEL_SDK_DISABLED: variable(
      z.string().transform((value) => value.toLowerCase() === 'true'),
      { default: 'false', description: '`true` turns tracing off even with an endpoint.' },
    ),
    OTEL_LOG_LEVEL: variable(z.string(), {
      description:
        'Diagnostic log level of the OpenTelemetry SDK: `none`, `error`, `warn`, `info`, `debug`, `verbose` or `all`.',
    }),
    TRACE_SAMPLE_RATE: variable(between(0, 1), {
      default: '1',
      description: 'Share of traces kept (parent-based trace-id ratio; the guide’s `sampleRate`).',
    }),
    TRACE_BATCH_SIZE: variable(between(1, 100_000), {
      default: '512',
      description: 'Spans per export batch (the guide’s `batchSize`).',
    }),
    TRACE_FLUSH_INTERVAL_MS: variable(between(10, 600_000), {
      default: '5000',
      description: 'Longest wait before buffered spans are exported (the guide’s `flushInterval`).',
    }),
    TRACE_SHUTDOWN_TIMEOUT_MS: variable(between(100, 60_000), {
      default: '1000',
      description:
        'At shutdown, the longest wait for the last spans to reach the collector; an unreachable collector costs no more than this (the spans still buffered are dropped).',
    }),
  },
  config: () => ({}),
});
