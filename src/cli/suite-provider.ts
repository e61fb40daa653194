/**
 * The providers of a suite as `Provider`s for the embedded engine: one per backend prefix
 * (`openai`, `ollama`, `simulated`), each routing the rest of the model id to the suite
 * provider it names, with that provider's base URL and key, and its options (system prompt,
 * temperature, max tokens) added to every call.
 */
import type { Config } from '../config.js';
import {
  OllamaProvider,
  OpenAiProvider,
  ProviderError,
  SimulatedProvider,
  type ChatRequest,
  type ChatResponse,
  type Provider,
} from '../providers/index.js';
import type { Backend, PlannedProvider } from '../suites/index.js';

interface Route {
  readonly planned: PlannedProvider;
  readonly provider: Provider;
}

class SuiteProvider implements Provider {
  readonly simulated: boolean;

  /** `fallback` answers model ids the suite does not name (graders, embeddings from the config). */
  constructor(
    readonly name: Backend,
    private readonly routes: ReadonlyMap<string, Route>,
    private readonly fallback: Provider,
  ) {
    this.simulated = name === 'simulated';
  }

  listModels(): Promise<string[]> {
    return Promise.resolve([...this.routes.keys()]);
  }

  chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
    const route = this.routes.get(request.model);
    if (route === undefined) return this.fallback.chat(request, signal);
    const { planned } = route;
    return route.provider.chat(
      {
        ...request,
        model: planned.model,
        messages:
          planned.systemPrompt === undefined
            ? request.messages
            : [{ role: 'system', content: planned.systemPrompt }, ...request.messages],
        ...(planned.temperature === undefined ? {} : { temperature: planned.temperature }),
        ...(planned.maxTokens === undefined ? {} : { maxTokens: planned.maxTokens }),
      },
      signal,
    );
  }

  embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]> {
    if (this.fallback.embed === undefined)
      return Promise.reject(new ProviderError('bad_request', `${this.name} offers no embeddings`));
    return this.fallback.embed(model, texts, signal);
  }
}

function backendFor(
  backend: Backend,
  config: Config['providers'],
  planned?: PlannedProvider,
): Provider {
  if (backend === 'simulated') return new SimulatedProvider(config.simulated);
  if (backend === 'ollama') return new OllamaProvider(planned?.baseUrl ?? config.ollamaBaseUrl);
  // The key is read from the variable the suite names (promptfoo's apiKeyEnvar), never the file.
  const key =
    planned?.apiKeyEnvar === undefined ? config.openaiApiKey : process.env[planned.apiKeyEnvar];
  const base = planned?.baseUrl ?? config.openaiBaseUrl ?? 'https://api.openai.com/v1';
  return new OpenAiProvider(base, key);
}

/** One provider per backend prefix used by the suite (plus `simulated`, for graders). */
export function suiteProviders(
  planned: readonly PlannedProvider[],
  config: Config['providers'],
): Provider[] {
  const byBackend = new Map<Backend, Map<string, Route>>();
  for (const p of planned) {
    const routes = byBackend.get(p.backend) ?? new Map<string, Route>();
    routes.set(p.modelId.slice(p.backend.length + 1), {
      planned: p,
      provider: backendFor(p.backend, config, p),
    });
    byBackend.set(p.backend, routes);
  }
  const providers: Provider[] = [...byBackend].map(
    ([backend, routes]) => new SuiteProvider(backend, routes, backendFor(backend, config)),
  );
  // The simulated grader and embeddings stay available to llm-rubric and similar assertions.
  if (!byBackend.has('simulated')) providers.push(new SimulatedProvider(config.simulated));
  return providers;
}

/** The keys the suite's providers read from the variables it names (redacted like configured ones). */
export function suiteSecrets(planned: readonly PlannedProvider[]): string[] {
  return planned.flatMap((p) => {
    const key = p.apiKeyEnvar === undefined ? undefined : process.env[p.apiKeyEnvar];
    return key === undefined || key === '' ? [] : [key];
  });
}
