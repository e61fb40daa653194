/**
 * The process logger: pino JSON lines on stdout, or Elastic Common Schema lines
 * (`LOG_FORMAT=ecs`) for Filebeat → Elasticsearch. A line written inside a span carries its
 * ids (`trace_id`/`span_id`, or ECS `trace.id`/`span.id`). Secrets are redacted by path
 * wherever they could appear; the tests plant one and look for it in every line.
 */
import { ecsFormat } from '@elastic/ecs-pino-format';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';
import { SECRET_KEYS, SECRET_PATHS } from '../../config/index.js';

export type Logger = pino.Logger;
export type LogFormat = 'json' | 'ecs';

/** Request credentials and generic secret names, whatever the configuration says. */
const FIXED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'apiKey',
  'api_key',
  '*.apiKey',
  '*.api_key',
  'password',
  '*.password',
  'secrets',
  '*.secrets',
];

/**
 * Paths pino censors: the fixed ones, and where a variable the configuration schema marks
 * secret sits in `Config` — its property name (`openaiApiKey`, `webhookSecret`, `token`, …) at
 * the top of a line or one level down, and its full path (`events.kafka.sasl.password`) from
 * the top of a line or one level down (a logged `config`).
 */
export const REDACTED_PATHS: readonly string[] = [
  ...new Set([
    ...FIXED_PATHS,
    ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
    ...[...SECRET_PATHS.values()].flat().flatMap((path) => [path.join('.'), `*.${path.join('.')}`]),
  ]),
];

export interface LoggerOptions {
  readonly level: string;
  readonly format?: LogFormat;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  readonly destination?: pino.DestinationStream;
}

function traceFields(format: LogFormat): () => Record<string, string> {
  const [traceKey, spanKey] = format === 'ecs' ? ['trace.id', 'span.id'] : ['trace_id', 'span_id'];
  return () => {
    const spanContext = trace.getActiveSpan()?.spanContext();
    if (spanContext === undefined || !isSpanContextValid(spanContext)) return {};
    return { [traceKey]: spanContext.traceId, [spanKey]: spanContext.spanId };
  };
}

export function createLogger(options: LoggerOptions): Logger {
  const format = options.format ?? 'json';
  const base: pino.LoggerOptions = {
    level: options.level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    mixin: traceFields(format),
  };
  const formatOptions: pino.LoggerOptions =
    format === 'ecs'
      ? {
          ...ecsFormat({
            apmIntegration: false,
            serviceName: 'prompt-card-backend',
            convertErr: true,
          }),
        }
      : { base: { service: 'prompt-card-backend' }, timestamp: pino.stdTimeFunctions.isoTime };
  return pino(
    { ...base, ...formatOptions },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** A logger that writes nothing, for tests and tools that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
