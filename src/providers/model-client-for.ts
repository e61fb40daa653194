/** The model client of a process, from the configuration (API server and worker alike). */
import type { Config } from '../config.js';
import type { Logger } from '../telemetry/logging/index.js';
import { ModelClient } from './model-client.js';
import type { ModelCallListener } from './model-call-record.js';
import type { Provider } from './provider.js';
import { configuredSecrets, createRedactor } from '../util/index.js';

export function modelClientFor(
  config: Config,
  providers: readonly Provider[],
  logger: Logger,
  /** More secrets to redact from provider text (keys a CLI suite names), besides the configured. */
  extraSecrets: readonly string[] = [],
  /** Every model call (the GenAI metrics, see model-call-metrics.ts). */
  onCall?: ModelCallListener,
): ModelClient {
  return new ModelClient(providers, {
    timeoutMs: config.providers.timeoutMs,
    maxRetries: config.providers.maxRetries,
    ...(config.providers.callBudgetMs === undefined
      ? {}
      : { callBudgetMs: config.providers.callBudgetMs }),
    prices: config.providers.prices,
    embeddingModel: config.providers.embeddingModel,
    graderModel: config.providers.graderModel,
    captureMessageContent: config.providers.captureMessageContent,
    ...(onCall === undefined ? {} : { onCall }),
    // Provider text is redacted as it enters: configured secrets and credential-shaped tokens.
    redact: createRedactor([...configuredSecrets(config), ...extraSecrets]),
    retry: {
      baseDelayMs: config.providers.retryBaseDelayMs,
      maxRetryAfterMs: config.providers.retryAfterMaxMs,
      onRetry: (error, attempt, delayMs) =>
        logger.debug({ kind: error.kind, attempt, delayMs }, 'retrying model call'),
    },
  });
}
