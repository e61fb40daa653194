import { OllamaProvider, OpenAiProvider, SimulatedProvider } from '../../../src/providers/index.js';
import { defineProviderContract } from '../../support/provider-contract.js';
import { startWireServer } from '../../support/wire-server.js';

defineProviderContract('simulated', false, () =>
  Promise.resolve({
    provider: new SimulatedProvider({ seed: 1, latencyMs: 5, latencyJitter: 0, failureRate: 0 }),
    slowProvider: new SimulatedProvider({
      seed: 1,
      latencyMs: 10_000,
      latencyJitter: 0,
      failureRate: 0,
    }),
    model: 'fast',
    embeddingModel: 'embed',
    close: () => Promise.resolve(),
  }),
);

defineProviderContract('Ollama wire format on loopback', true, async () => {
  const server = await startWireServer('ollama');
  return {
    provider: new OllamaProvider(server.url),
    slowProvider: new OllamaProvider(server.url),
    server,
    model: 'alpha',
    embeddingModel: 'alpha',
    withBaseUrl: (url) => new OllamaProvider(url),
    close: () => server.close(),
  };
});

defineProviderContract('OpenAI wire format on loopback', true, async () => {
  const server = await startWireServer('openai');
  return {
    provider: new OpenAiProvider(server.url, 'sk-test-key'),
    slowProvider: new OpenAiProvider(`${server.url}/v1`, 'sk-test-key'),
    server,
    model: 'alpha',
    embeddingModel: 'alpha',
    withBaseUrl: (url) => new OpenAiProvider(url, undefined),
    close: () => server.close(),
  };
});
