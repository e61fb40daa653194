/**
 * The OpenTelemetry SDK, loaded by startTracing (start-tracing.ts) only when tracing is on: a
 * process that exports no spans never loads the exporters, the SDK and the instrumentations.
 * Must run before the application's modules are loaded
 * (main.ts loads them afterwards), because instrumentation patches modules as they are
 * required. Instrumented deliberately, for cost (bench/http-overhead): outgoing undici calls
 * (model providers; they carry W3C traceparent; their `url.*` attributes are stripped of
 * credentials, see span-url.ts), pg and ioredis. Incoming requests get their
 * server span from `serverSpanMiddleware`, not from the http instrumentation, and there is no
 * Express instrumentation (a span per middleware). SQLite queries become spans
 * through Kysely's query log (src/db).
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SECRET_VARIABLES } from '../../config/index.js';
import { markTracingActive } from './server-span.js';
import { startLogs } from './start-logs.js';
import { spanUrlAttributes, spanUrlSecrets } from './span-url.js';
import type { TracingHandle } from './start-tracing.js';
import type { TracingOptions } from './tracing-options.js';

const DIAG_LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

/** Starts exporting spans (and logs, when `logsEndpoint` is set) to `endpoint`. */
export function startSdk(
  options: TracingOptions & { readonly endpoint: string },
  env: Readonly<Record<string, string | undefined>>,
): TracingHandle {
  const level = DIAG_LEVELS[(env.OTEL_LOG_LEVEL ?? '').toUpperCase()];
  if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), level);

  const exporter =
    options.protocol === 'http/json'
      ? new OtlpJsonExporter({ url: options.endpoint })
      : new OtlpProtoExporter({ url: options.endpoint });
  // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME (envDetector) override the defaults.
  const resource = resourceFromAttributes({
    'service.name': options.serviceName,
    'service.version': options.serviceVersion,
    'deployment.environment.name': options.environment,
  }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRate) }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxExportBatchSize: options.batchSize,
        maxQueueSize: Math.max(2048, options.batchSize * 4),
        scheduledDelayMillis: options.flushIntervalMs,
      }),
    ],
  });
  provider.register();
  const logRecords =
    options.logsEndpoint === undefined
      ? undefined
      : startLogs(options.logsEndpoint, options.protocol, resource, options.flushIntervalMs);
  markTracingActive(true);
  const urlSecrets = spanUrlSecrets(env, SECRET_VARIABLES);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new UndiciInstrumentation({
        // url.full/path/query without credentials: a Slack webhook's URL is its key.
        startSpanHook: (request) =>
          spanUrlAttributes(new URL(request.path, request.origin), urlSecrets),
      }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new IORedisInstrumentation(),
    ],
  });
  return {
    shutdown: async () => {
      markTracingActive(false);
      // An unreachable collector makes the exporter retry for up to its 10 s timeout; the
      // process must not wait for that (the buffered spans are lost either way).
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, options.shutdownTimeoutMs);
      });
      await Promise.race([
        Promise.all([
          provider.shutdown().catch(() => undefined),
          logRecords?.shutdown().catch(() => undefined),
        ]),
        bound,
      ]);
      clearTimeout(timer);
    },
  };
}
