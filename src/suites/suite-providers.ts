/**
 * Provider ids of a suite, ours and promptfoo's: `openai:chat:<model>` and `openai:<model>`
 * (an OpenAI-compatible server), `ollama:chat:<model>` and `ollama:<model>` (Ollama's chat
 * API), `simulated:<model>`. Options: `apiBaseUrl`/`apiHost`, `apiKey`/`apiKeyEnvar`,
 * `organization`, `headers`, `temperature`, `max_tokens` (`num_predict` for Ollama), our
 * `system_prompt`, and the request keys promptfoo sends as they are (`top_p`, `seed`, `stop`,
 * penalties, `response_format`, `tools`, `tool_choice`, `functions`, `passthrough`).
 * Any other provider (anthropic:, vertex:, file://, exec:, …) is named as unsupported.
 */
import { SIMULATED_MODELS } from '../providers/index.js';
import { didYouMean } from './did-you-mean.js';
import type { ProviderConfig, SuiteProviderEntry } from './suite-schema.js';

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
  /** The key written in the suite (`apiKey`); never logged or stored. */
  readonly apiKey: string | undefined;
  /** Extra request headers (`headers`, `organization`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Request body keys sent as they are (tools, response_format, seed, …). */
  readonly body: Readonly<Record<string, unknown>>;
  /** Ids or labels of the prompts this provider runs; undefined: all. */
  readonly prompts: readonly string[] | undefined;
  /** JavaScript applied to every output of this provider before the assertions. */
  readonly transform: string | undefined;
  /** Milliseconds waited before each call. */
  readonly delay: number | undefined;
  /** False: inline `<think>` blocks are taken out of outputs (promptfoo's `showThinking`). */
  readonly showThinking: boolean;
}

const BODY_KEYS = [
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'stop',
  'seed',
  'response_format',
  'tools',
  'tool_choice',
  'functions',
  'function_call',
  'max_completion_tokens',
  'reasoning_effort',
  'verbosity',
] as const;

function bodyOf(config: ProviderConfig | undefined): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const key of BODY_KEYS) if (config?.[key] !== undefined) body[key] = config[key];
  return { ...body, ...config?.passthrough };
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
export function planProvider(entry: SuiteProviderEntry): PlannedProvider | string {
  const { id, label, config } =
    typeof entry === 'string' ? { id: entry, label: undefined, config: undefined } : entry;
  const more = typeof entry === 'string' ? undefined : entry;
  for (const { re, backend } of PATTERNS) {
    const match = re.exec(id);
    if (match?.[1] === undefined) continue;
    if (backend === 'simulated' && config?.apiBaseUrl !== undefined)
      return 'the simulated provider takes no apiBaseUrl';
    const unknown = unknownSimulatedModel(id);
    if (unknown !== undefined) return unknown;
    return {
      modelId: label === undefined ? id : `${backend}:${label}`,
      suiteId: id,
      label,
      backend,
      model: match[1],
      baseUrl:
        config?.apiBaseUrl ??
        (config?.apiHost === undefined ? undefined : `https://${config.apiHost}/v1`),
      apiKeyEnvar: config?.apiKeyEnvar,
      temperature: config?.temperature,
      maxTokens: config?.max_tokens ?? config?.num_predict,
      systemPrompt: config?.system_prompt,
      apiKey: config?.apiKey,
      headers: {
        ...config?.headers,
        ...(config?.organization === undefined
          ? {}
          : { 'OpenAI-Organization': config.organization }),
      },
      body: bodyOf(config),
      prompts: more?.prompts,
      transform: more?.transform,
      delay: more?.delay,
      showThinking: config?.showThinking ?? true,
    };
  }
  return `unsupported provider "${id}" (supported: openai:chat:<model>, openai:<model>, ollama:chat:<model>, ollama:<model>, simulated:<model>)`;
}

/**
 * Why `id` names no simulated model (`simulated:nope`), with "did you mean"; undefined for any
 * other id. The simulated provider knows its models only when called: asked here, a typo is a
 * refusal before the run instead of an error in every result.
 */
export function unknownSimulatedModel(id: string): string | undefined {
  const match = /^simulated:(.*)$/.exec(id);
  if (match === null) return undefined;
  const model = match[1] ?? '';
  const known = Object.keys(SIMULATED_MODELS);
  if (known.includes(model)) return undefined;
  return `unknown simulated model "${model}" in "${id}" (known: ${known.join(', ')})${didYouMean(
    id,
    known.map((k) => `simulated:${k}`),
  )}`;
}
