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
import { SimulatedProvider } from './simulated.js';

export type ProviderFactory = (config: Config['providers']) => Provider | undefined;

export const PROVIDERS: readonly ProviderFactory[] = [
  (c) => new SimulatedProvider(c.simulated),
  (c) => new OllamaProvider(c.ollamaBaseUrl),
  (c) =>
    c.openaiBaseUrl === undefined ? undefined : new OpenAiProvider(c.openaiBaseUrl, c.openaiApiKey),
];

export function createProviders(config: Config['providers']): Provider[] {
  return PROVIDERS.flatMap((factory) => factory(config) ?? []);
}
