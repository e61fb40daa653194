import { summarizeProviderError, type Provider } from '../../providers/index.js';
import type { HealthCheck } from '../health-check.js';

/**
 * `provider:<name>`: the provider lists its models (Ollama /api/tags, OpenAI /v1/models). Not
 * critical. A failure is reported as a classified summary (kind, HTTP status): health endpoints
 * answer without authentication, and a provider's own text may echo a key.
 */
export function providerCheck(provider: Provider): HealthCheck {
  return {
    name: `provider:${provider.name}`,
    critical: false,
    async run(signal) {
      try {
        const models = await provider.listModels(signal);
        return { status: 'pass', observed: { models: models.length } };
      } catch (error) {
        const summary = summarizeProviderError(error);
        return { status: 'fail', message: `${summary.kind}: ${summary.message}` };
      }
    },
  };
}
