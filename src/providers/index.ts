export type { ChatMessage, ChatRequest, ChatResponse, Provider } from './provider.js';
export {
  ProviderError,
  parseRetryAfter,
  retryAfterFromHeaders,
  PROVIDER_ERROR_KINDS,
  summarizeProviderError,
  type ProviderErrorKind,
} from './provider-error.js';
export {
  ModelClient,
  type ModelCall,
  type ModelClientOptions,
  type ProviderModels,
} from './model-client.js';
export { parseModelId, type ModelId } from './model-id.js';
export { OllamaProvider } from './ollama.js';
export { OpenAiProvider } from './openai.js';
export type { ModerationFlag } from './openai-moderation.js';
export { SimulatedProvider, SIMULATED_MODELS, type SimulatedOptions } from './simulated.js';
export { createProviders } from './create-providers.js';
export { splitReasoning, withoutThinking, type SplitOutput } from './reasoning.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  dispatcherOptions,
  providerHttp,
  type ProviderHttp,
} from './provider-http.js';
export { modelClientFor } from './model-client-for.js';
export { withRetry, backoffDelay } from './retry.js';
export { callCost, type ModelPrice } from './cost.js';
export { sleep } from './sleep.js';
export { modelCallMetrics } from './model-call-metrics.js';
