/**
 * The process logger: pino JSON lines on stdout. Secrets are redacted by path wherever they
 * could appear (request headers, provider keys, the monitoring secrets).
 */
import pino from 'pino';

export type Logger = pino.Logger;

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'apiKey',
  'api_key',
  '*.apiKey',
  '*.api_key',
  'openaiApiKey',
  '*.openaiApiKey',
  'metricsEncryptionKey',
  '*.metricsEncryptionKey',
  'auditSecret',
  '*.auditSecret',
  'grafanaAdminPassword',
  '*.grafanaAdminPassword',
  'password',
  '*.password',
];

export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  readonly destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'prompt-card-backend' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** A logger that writes nothing, for tests and tools that do not care. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
