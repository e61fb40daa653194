/**
 * The provider registry: one line per provider, a factory from the configuration that returns
 * the provider, or undefined when the configuration leaves it off. Simulated and Ollama are
 * always on, OpenAI when OPENAI_BASE_URL is set. Adding a provider is its file (a `Provider`)
 * plus one line here.
 */
import type { Config } from '../config.js';
import { OllamaProvider } from './ollama.js';
import { OpenAiProvider } from './openai.js';
import type { Provider } from './provider.js';
import { providerHttp, type ProviderHttp } from './provider-http.js';
import { SimulatedProvider } from './simulated.js';

export type ProviderFactory = (
  config: Config['providers'],
  http: ProviderHttp,
) => Provider | undefined;

export const PROVIDERS: readonly ProviderFactory[] = [
  (c) => new SimulatedProvider(c.simulated),
  (c, http) => new OllamaProvider(c.ollamaBaseUrl, http),
  (c, http) =>
    c.openaiBaseUrl === undefined
      ? undefined
      : new OpenAiProvider(c.openaiBaseUrl, c.openaiApiKey, http),
];

/** The configured providers, sharing one HTTP dispatcher (see provider-http.ts). */
export function createProviders(config: Config['providers']): Provider[] {
  const http = providerHttp(config);
  return PROVIDERS.flatMap((factory) => factory(config, http) ?? []);
}
