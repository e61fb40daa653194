import type { Provider } from '../../providers/index.js';
import type { HealthCheck } from '../health-check.js';

/** `provider:<name>`: the provider lists its models (Ollama /api/tags, OpenAI /v1/models). Not critical. */
export function providerCheck(provider: Provider): HealthCheck {
  return {
    name: `provider:${provider.name}`,
    critical: false,
    async run(signal) {
      try {
        const models = await provider.listModels(signal);
        return { status: 'pass', observed: { models: models.length } };
      } catch (error) {
        return { status: 'fail', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
