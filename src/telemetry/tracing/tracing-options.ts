/**
 * Where and how traces go, from the standard OpenTelemetry variables (read from the same
 * environment as Config). Pure: tested without starting anything.
 *
 * - `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT`
 *   (+ `/v1/traces`); without either, `JAEGER_HOST` sends OTLP/HTTP to Jaeger's 4318 (Jaeger
 *   ingests OTLP since 1.35; `JAEGER_PORT` is its UI port and is not used for export).
 * - No endpoint → tracing is off and costs nothing.
 * - `OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf` (the specification's default) or `http/json`.
 * - `TRACE_SAMPLE_RATE` (the guide's `sampleRate`): parent-based trace-id ratio.
 * - `TRACE_BATCH_SIZE` / `TRACE_FLUSH_INTERVAL_MS` (the guide's `batchSize` / `flushInterval`).
 */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TracingOptions {
  readonly enabled: boolean;
  readonly endpoint: string | undefined;
  readonly protocol: OtlpProtocol;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly environment: string;
  readonly sampleRate: number;
  readonly batchSize: number;
  readonly flushIntervalMs: number;
  readonly captureMessageContent: boolean;
}

export class TracingOptionsError extends Error {}

function number(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new TracingOptionsError(`${name}: must be a number between ${min} and ${max}`);
  }
  return value;
}

export function tracingOptions(
  env: Readonly<Record<string, string | undefined>>,
  serviceVersion: string,
): TracingOptions {
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const baseEndpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const jaegerHost = env.JAEGER_HOST;
  let endpoint: string | undefined;
  if (tracesEndpoint !== undefined && tracesEndpoint !== '') endpoint = tracesEndpoint;
  else if (baseEndpoint !== undefined && baseEndpoint !== '')
    endpoint = `${baseEndpoint.replace(/\/+$/, '')}/v1/traces`;
  else if (jaegerHost !== undefined && jaegerHost !== '')
    endpoint = `http://${jaegerHost}:4318/v1/traces`;
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) {
    throw new TracingOptionsError('OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT: must be an http(s) URL');
  }
  const protocol =
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new TracingOptionsError(
      'OTEL_EXPORTER_OTLP_PROTOCOL: must be http/protobuf or http/json (grpc is not supported)',
    );
  }
  const sdkDisabled = env.OTEL_SDK_DISABLED === 'true';
  return {
    enabled: endpoint !== undefined && !sdkDisabled,
    endpoint,
    protocol,
    serviceName: env.OTEL_SERVICE_NAME ?? 'prompt-card-backend',
    serviceVersion,
    environment: env.NODE_ENV ?? 'development',
    sampleRate: number(env, 'TRACE_SAMPLE_RATE', 1, 0, 1),
    batchSize: number(env, 'TRACE_BATCH_SIZE', 512, 1, 100_000),
    flushIntervalMs: number(env, 'TRACE_FLUSH_INTERVAL_MS', 5000, 10, 600_000),
    captureMessageContent: env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT === 'true',
  };
}
