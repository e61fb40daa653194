/** The providers a configuration turns on: simulated and Ollama always, OpenAI when its URL is set. */
import type { Config } from '../config.js';
import { OllamaProvider } from './ollama.js';
import { OpenAiProvider } from './openai.js';
import type { Provider } from './provider.js';
import { SimulatedProvider } from './simulated.js';

export function createProviders(config: Config['providers']): Provider[] {
  const providers: Provider[] = [
    new SimulatedProvider(config.simulated),
    new OllamaProvider(config.ollamaBaseUrl),
  ];
  if (config.openaiBaseUrl !== undefined)
    providers.push(new OpenAiProvider(config.openaiBaseUrl, config.openaiApiKey));
  return providers;
}
