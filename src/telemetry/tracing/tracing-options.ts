/**
 * Where and how traces go, from the standard OpenTelemetry variables (read from the same
 * environment as Config, with the tracing slice of the configuration schema, which documents
 * each variable). Pure: tested without starting anything.
 *
 * - `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT`
 *   (+ `/v1/traces`); without either, `JAEGER_HOST` sends OTLP/HTTP to Jaeger's 4318 (Jaeger
 *   ingests OTLP since 1.35; `JAEGER_PORT` is its UI port and is not used for export).
 * - `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/logs`): where the
 *   `gen_ai.evaluation.result` log records go (none with Jaeger alone: it takes no logs).
 * - No endpoint → tracing is off and costs nothing.
 * - `OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf` (the specification's default) or `http/json`.
 * - `TRACE_SAMPLE_RATE` (the guide's `sampleRate`): parent-based trace-id ratio.
 * - `TRACE_BATCH_SIZE` / `TRACE_FLUSH_INTERVAL_MS` (the guide's `batchSize` / `flushInterval`).
 * - `TRACE_SHUTDOWN_TIMEOUT_MS`: bound of the last flush at shutdown.
 */
import { z } from 'zod';
import { withoutEmpty } from '../../config.js';
import { providers, tracing } from '../../config/index.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingOptions {
  readonly enabled: boolean;
  readonly endpoint: string | undefined;
  /** OTLP/HTTP logs URL (evaluation results as log records); undefined: none exported. */
  readonly logsEndpoint: string | undefined;
  readonly protocol: OtlpProtocol;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  readonly sampleRate: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  /** Bound of the final flush and exporter shutdown (ms). */
  readonly shutdownTimeoutMs: number;
  readonly captureMessageContent: boolean;
}

export class TracingOptionsError extends Error {}

const tracingEnv = z.object({
  ...tracing.env,
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT:
    providers.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
});

/** Parses the tracing variables (their slice in the configuration schema) into options. */
export function tracingOptions(
  env: Readonly<Record<string, string | undefined>>,
  serviceVersion: string,
): TracingOptions {
  const parsed = tracingEnv.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TracingOptionsError(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  let endpoint: string | undefined;
  if (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined)
    endpoint = e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  else if (e.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined)
    endpoint = `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  else if (e.JAEGER_HOST !== undefined) endpoint = `http://${e.JAEGER_HOST}:4318/v1/traces`;
  const logsEndpoint =
    e.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ??
    (e.OTEL_EXPORTER_OTLP_ENDPOINT === undefined
      ? undefined
      : `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/logs`);
  return {
    enabled: endpoint !== undefined && !e.OTEL_SDK_DISABLED,
    endpoint,
    logsEndpoint,
    protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL,
    serviceName: e.OTEL_SERVICE_NAME,
    serviceVersion,
    environment: env.NODE_ENV ?? 'development',
    sampleRate: e.TRACE_SAMPLE_RATE,
    batchSize: e.TRACE_BATCH_SIZE,
    flushIntervalMs: e.TRACE_FLUSH_INTERVAL_MS,
    shutdownTimeoutMs: e.TRACE_SHUTDOWN_TIMEOUT_MS,
    captureMessageContent: e.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
  };
}
