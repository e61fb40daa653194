export {
  createLogger,
  silentLogger,
  REDACTED_PATHS,
  type Logger,
  type LoggerOptions,
  type LogFormat,
} from './logger.js';
export { accessLog } from './access-log.js';
export { flushLogger } from './flush-logger.js';
