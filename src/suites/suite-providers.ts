/**
 * Provider ids of a suite, ours and promptfoo's: `openai:chat:<model>` and `openai:<model>`
 * (an OpenAI-compatible server), `ollama:chat:<model>` and `ollama:<model>` (Ollama's chat
 * API), `simulated:<model>`. Options: `apiBaseUrl`, `apiKeyEnvar`, `temperature`,
 * `max_tokens` (`num_predict` for Ollama) and our `system_prompt`, passed through to the call.
 * Any other provider (anthropic:, vertex:, file://, exec:, …) is named as unsupported.
 */
import type { ProviderConfig } from './suite-schema.js';

export type Backend = 'openai' | 'ollama' | 'simulated';

export interface PlannedProvider {
  /** The model id results and metrics carry: `openai:chat:gpt-4o-mini`, or `openai:<label>`. */
  readonly modelId: string;
  /** The id as the suite wrote it. */
  readonly suiteId: string;
  readonly label: string | undefined;
  readonly backend: Backend;
  /** The model name sent to the backend. */
  readonly model: string;
  readonly baseUrl: string | undefined;
  readonly apiKeyEnvar: string | undefined;
  readonly temperature: number | undefined;
  readonly maxTokens: number | undefined;
  readonly systemPrompt: string | undefined;
}

const PATTERNS: readonly { re: RegExp; backend: Backend }[] = [
  { re: /^openai:chat:(.+)$/, backend: 'openai' },
  { re: /^ollama:chat:(.+)$/, backend: 'ollama' },
  { re: /^simulated:(.+)$/, backend: 'simulated' },
  // promptfoo's `openai:<model>` is its chat provider too; `ollama:<model>` is our chat id.
  {
    re: /^openai:(?!completion:|embeddings?:|assistant:|responses:|realtime:)([^:]+)$/,
    backend: 'openai',
  },
  { re: /^ollama:(?!completion:|embeddings?:)(.+)$/, backend: 'ollama' },
];

/** The planned provider, or a message saying why the id is not supported. */
export function planProvider(
  id: string,
  label: string | undefined,
  config: ProviderConfig | undefined,
): PlannedProvider | string {
  for (const { re, backend } of PATTERNS) {
    const match = re.exec(id);
    if (match?.[1] === undefined) continue;
    if (backend === 'simulated' && config?.apiBaseUrl !== undefined)
      return 'the simulated provider takes no apiBaseUrl';
    return {
      modelId: label === undefined ? id : `${backend}:${label}`,
      suiteId: id,
      label,
      backend,
      model: match[1],
      baseUrl: config?.apiBaseUrl,
      apiKeyEnvar: config?.apiKeyEnvar,
      temperature: config?.temperature,
      maxTokens: config?.max_tokens ?? config?.num_predict,
      systemPrompt: config?.system_prompt,
    };
  }
  return `unsupported provider "${id}" (supported: openai:chat:<model>, openai:<model>, ollama:chat:<model>, ollama:<model>, simulated:<model>)`;
}
