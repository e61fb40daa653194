/**
 * The providers of a suite as `Provider`s for the embedded engine: one per backend prefix
 * (`openai`, `ollama`, `simulated`), each routing the rest of the model id to the suite
 * provider it names, with that provider's base URL and key, and its options (system prompt,
 * temperature, max tokens, request keys, headers, delay, output transform) added to every
 * call. A prompt that is a JSON list of `{role, content}` messages is sent as those messages
 * (promptfoo's chat prompts). Model ids the suite does not name (the grader, embeddings) go to
 * the backend with the settings of the suite's first provider of that backend, so a grader
 * `openai:…` uses the suite's `apiBaseUrl` and key, never another host.
 */
import { renderedSetting } from '../assertions/index.js';
import { runInSandbox, SandboxError } from '../util/index.js';
import { providerHttp, sleep, type ProviderHttp } from '../providers/index.js';
import type { Config } from '../config.js';
import {
  OllamaProvider,
  OpenAiProvider,
  ProviderError,
  SimulatedProvider,
  withoutThinking,
  type ChatMessage,
  type ChatRequest,
  type ChatResponse,
  type ModerationFlag,
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
    // promptfoo names graders `openai:chat:<model>` too: the model is what follows `chat:`.
    if (route === undefined)
      return this.fallback.chat({ ...request, model: request.model.replace(/^chat:/, '') }, signal);
    return this.routed(route, request, signal);
  }

  private async routed(
    route: Route,
    request: ChatRequest,
    signal: AbortSignal,
  ): Promise<ChatResponse> {
    const { planned } = route;
    if (planned.delay !== undefined && planned.delay > 0) await sleep(planned.delay, signal);
    const messages = request.messages.flatMap((m) =>
      m.role === 'user' ? (chatMessages(m.content) ?? [m]) : [m],
    );
    const answer = await route.provider.chat(
      {
        ...request,
        model: planned.model,
        messages:
          planned.systemPrompt === undefined
            ? messages
            : [{ role: 'system', content: planned.systemPrompt }, ...messages],
        ...(planned.temperature === undefined ? {} : { temperature: planned.temperature }),
        ...(planned.maxTokens === undefined ? {} : { maxTokens: planned.maxTokens }),
        headers: { ...planned.headers, ...request.headers },
        body: { ...request.body, ...settingsFor(planned.body, request.vars) },
      },
      signal,
    );
    // promptfoo's showThinking: false leaves the reasoning out of the output the checks see.
    const response = planned.showThinking ? answer : withoutThinking(answer);
    // promptfoo parses a json_schema answer: code sees the object, as it does there.
    const format = planned.body.response_format as { type?: unknown } | undefined;
    if (format?.type === 'json_schema' && planned.transform === undefined)
      return { ...response, structured: true };
    if (planned.transform === undefined) return response;
    let value: unknown = response.output;
    if (response.finishReason === 'tool_calls')
      try {
        value = JSON.parse(response.output) as unknown;
      } catch {
        // Not JSON after all: the text is the output.
      }
    try {
      const out = await runInSandbox(planned.transform, value, {
        prompt: request.messages.at(-1)?.content,
      });
      return { ...response, output: typeof out === 'string' ? out : (JSON.stringify(out) ?? '') };
    } catch (error) {
      if (error instanceof SandboxError)
        throw new ProviderError(
          'invalid_response',
          `The provider transform failed: ${error.message}`,
        );
      throw error;
    }
  }

  embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]> {
    if (this.fallback.embed === undefined)
      return Promise.reject(new ProviderError('bad_request', `${this.name} offers no embeddings`));
    return this.fallback.embed(model, texts, signal);
  }

  /** Moderation (promptfoo's `moderation` kind) goes to the backend with the suite's settings. */
  moderate(model: string, text: string, signal: AbortSignal): Promise<ModerationFlag[]> {
    if (this.fallback.moderate === undefined)
      return Promise.reject(new ProviderError('bad_request', `${this.name} offers no moderation`));
    return this.fallback.moderate(model, text, signal);
  }
}

/** The provider settings promptfoo renders with the test's vars before each call. */
const TEMPLATED = ['tools', 'functions', 'response_format', 'reasoning_effort'];

/**
 * The provider's request keys with `tools`, `functions`, `response_format` and
 * `reasoning_effort` rendered with the test's vars (promptfoo's `renderVarsInObject`); a
 * setting that does not render is the call's `bad_request`.
 */
function settingsFor(
  body: Readonly<Record<string, unknown>>,
  vars: Readonly<Record<string, unknown>> | undefined,
): Readonly<Record<string, unknown>> {
  if (vars === undefined || !TEMPLATED.some((key) => body[key] !== undefined)) return body;
  const out: Record<string, unknown> = { ...body };
  for (const key of TEMPLATED) {
    if (out[key] === undefined) continue;
    try {
      out[key] = renderedSetting(out[key], vars);
    } catch (error) {
      throw new ProviderError(
        'bad_request',
        `The provider's config.${key} does not render with the test's vars: ${(error as Error).message}`,
      );
    }
  }
  return out;
}

const ROLES = new Set(['system', 'user', 'assistant']);

/** A prompt that is a JSON list of chat messages, as messages; undefined for any other text. */
export function chatMessages(prompt: string): ChatMessage[] | undefined {
  const text = prompt.trim();
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const messages: ChatMessage[] = [];
  for (const item of value as unknown[]) {
    const m = item as { role?: unknown; content?: unknown } | null;
    if (m === null || typeof m !== 'object' || typeof m.role !== 'string' || !ROLES.has(m.role))
      return undefined;
    messages.push({
      role: m.role as ChatMessage['role'],
      content: typeof m.content === 'string' ? m.content : (JSON.stringify(m.content) ?? ''),
    });
  }
  return messages;
}

function backendFor(
  backend: Backend,
  config: Config['providers'],
  http: ProviderHttp,
  planned?: PlannedProvider,
): Provider {
  if (backend === 'simulated') return new SimulatedProvider(config.simulated);
  if (backend === 'ollama')
    return new OllamaProvider(planned?.baseUrl ?? config.ollamaBaseUrl, http);
  // The key is read from the variable the suite names (promptfoo's apiKeyEnvar), never the file.
  const key =
    planned?.apiKey ??
    (planned?.apiKeyEnvar === undefined ? config.openaiApiKey : process.env[planned.apiKeyEnvar]);
  const base = planned?.baseUrl ?? config.openaiBaseUrl ?? 'https://api.openai.com/v1';
  return new OpenAiProvider(base, key, http);
}

/** One provider per backend prefix used by the suite (plus `simulated`, for graders). */
export function suiteProviders(
  planned: readonly PlannedProvider[],
  config: Config['providers'],
): Provider[] {
  const http = providerHttp(config);
  const byBackend = new Map<Backend, Map<string, Route>>();
  for (const p of planned) {
    const routes = byBackend.get(p.backend) ?? new Map<string, Route>();
    routes.set(p.modelId.slice(p.backend.length + 1), {
      planned: p,
      provider: backendFor(p.backend, config, http, p),
    });
    byBackend.set(p.backend, routes);
  }
  const providers: Provider[] = [...byBackend].map(
    ([backend, routes]) =>
      new SuiteProvider(
        backend,
        routes,
        backendFor(
          backend,
          config,
          http,
          planned.find((p) => p.backend === backend),
        ),
      ),
  );
  // The simulated grader and embeddings stay available to llm-rubric and similar assertions.
  if (!byBackend.has('simulated')) providers.push(new SimulatedProvider(config.simulated));
  return providers;
}

/** The keys the suite's providers read from the variables it names (redacted like configured ones). */
export function suiteSecrets(planned: readonly PlannedProvider[]): string[] {
  return planned.flatMap((p) => {
    // A key written in the suite (promptfoo's `config.apiKey`) is as secret as one from the
    // environment: the provider may echo either.
    const keys = [p.apiKey, p.apiKeyEnvar === undefined ? undefined : process.env[p.apiKeyEnvar]];
    return keys.filter((key): key is string => key !== undefined && key !== '');
  });
}
