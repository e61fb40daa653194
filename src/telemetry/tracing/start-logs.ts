/**
 * The OpenTelemetry logs SDK, for the log records the service emits as events (the GenAI
 * semantic conventions' `gen_ai.evaluation.result`): a global logger provider that batches
 * records to the OTLP/HTTP logs endpoint in the traces' protocol, with the traces' resource.
 * Records carry the trace and span id of the context they are emitted in.
 */
import { logs } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { OtlpProtocol } from './tracing-options.js';

export interface LogsHandle {
  /** Flushes pending records and stops exporting. */
  shutdown(): Promise<void>;
}

export function startLogs(
  url: string,
  protocol: OtlpProtocol,
  resource: Resource,
  flushIntervalMs: number,
): LogsHandle {
  const exporter =
    protocol === 'http/json' ? new OtlpJsonLogExporter({ url }) : new OtlpProtoLogExporter({ url });
  const provider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: flushIntervalMs })],
  });
  logs.setGlobalLoggerProvider(provider);
  return {
    shutdown: async () => {
      logs.disable();
      await provider.shutdown();
    },
  };
}
