/** Model providers, the model call's limits and prices, and the built-in simulated model. */
import { z } from 'zod';
import { bool, defineSlice, httpUrl, intBetween, positiveInt, text, variable } from './variable.js';

/** USD per one million tokens, by model id (`provider:model`). */
const modelPrice = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
});

const jsonPriceTable = z
  .string()
  .transform((json, ctx) => {
    try {
      return JSON.parse(json) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(z.string(), modelPrice, {
      error: 'must map "provider:model" to {"input": USD/1M tokens, "output": USD/1M tokens}',
    }),
  );

export const providers = defineSlice({
  title: 'Model providers',
  env: {
    OLLAMA_BASE_URL: variable(httpUrl(), {
      default: 'http://127.0.0.1:11434',
      description: 'Ollama’s HTTP API.',
    }),
    OPENAI_BASE_URL: variable(httpUrl(), {
      description:
        'Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, LM Studio), e.g. `https://api.openai.com`; the `openai` provider is on when set.',
    }),
    OPENAI_API_KEY: variable(z.string(), {
      secret: true,
      description: 'Bearer key for the OpenAI-compatible server.',
    }),
    PROVIDER_TIMEOUT_MS: variable(positiveInt(), {
      default: '60000',
      description: 'Timeout of one model call attempt.',
    }),
    PROVIDER_MAX_RETRIES: variable(intBetween(0, 10), {
      default: '3',
      description: 'Retries of retryable failures (timeout, refused, 429, 5xx).',
    }),
    PROVIDER_RETRY_BASE_DELAY_MS: variable(intBetween(0, 60_000), {
      default: '250',
      description:
        'First backoff delay; each retry doubles it (full jitter, capped at 10 s). A 429’s Retry-After wins.',
    }),
    PROVIDER_CALL_BUDGET_MS: variable(intBetween(1, 3_600_000), {
      defaultNote: 'timeout × (retries + 1)',
      description:
        'Wall time of one model call, every attempt and Retry-After wait included; a wait that would outlast it ends the item at once.',
    }),
    PROVIDER_RETRY_AFTER_MAX_MS: variable(intBetween(0, 3_600_000), {
      default: '60000',
      description:
        'Longest wait a model server may ask for (`retry-after-ms`, `Retry-After` in seconds or as an HTTP date); asking for more ends the item at once with that error.',
    }),
    PROVIDER_MAX_RESPONSE_BYTES: variable(intBetween(1024, 1_073_741_824), {
      default: '8388608',
      description:
        'Largest model server answer read, in bytes (8 MiB); a larger one is refused as `invalid_response` while it arrives.',
    }),
    MODEL_PRICES: variable(jsonPriceTable, {
      default: '{}',
      description:
        'JSON prices in USD per 1M tokens, e.g. `{"openai:gpt-4o-mini":{"input":0.15,"output":0.6}}`; an unknown price makes the cost null.',
    }),
    SIMULATED_SEED: variable(z.coerce.number().int(), {
      default: '42',
      description: 'Seed of the built-in simulated model.',
    }),
    SIMULATED_LATENCY_MS: variable(z.coerce.number().nonnegative(), {
      default: '120',
      description: 'Median latency of the simulated model.',
    }),
    SIMULATED_LATENCY_JITTER: variable(z.coerce.number().min(0).max(10), {
      default: '0.3',
      description: 'Log-normal spread of the simulated model’s latency (0 = fixed).',
    }),
    SIMULATED_FAILURE_RATE: variable(z.coerce.number().min(0).max(1), {
      default: '0.02',
      description: 'Share of the simulated model’s calls that fail with a realistic error.',
    }),
    OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: variable(bool(), {
      default: 'false',
      description:
        'Record prompts and completions on GenAI spans (off: they may hold personal data).',
    }),
    EMBEDDING_MODEL: variable(text(), {
      default: 'simulated:embed',
      description: 'Model of the `similar` assertion.',
    }),
    GRADER_MODEL: variable(text(), {
      default: 'simulated:grader',
      description: 'Model of the `llm-rubric` assertion.',
    }),
  },
  config: (e) => ({
    providers: {
      ollamaBaseUrl: e.OLLAMA_BASE_URL,
      openaiBaseUrl: e.OPENAI_BASE_URL,
      openaiApiKey: e.OPENAI_API_KEY,
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
      maxRetries: e.PROVIDER_MAX_RETRIES,
      retryBaseDelayMs: e.PROVIDER_RETRY_BASE_DELAY_MS,
      /** Wall time of one model call, retries and waits included; undefined: timeout × (retries + 1). */
      callBudgetMs: e.PROVIDER_CALL_BUDGET_MS,
      retryAfterMaxMs: e.PROVIDER_RETRY_AFTER_MAX_MS,
      maxResponseBytes: e.PROVIDER_MAX_RESPONSE_BYTES,
      prices: e.MODEL_PRICES,
      simulated: {
        seed: e.SIMULATED_SEED,
        latencyMs: e.SIMULATED_LATENCY_MS,
        latencyJitter: e.SIMULATED_LATENCY_JITTER,
        failureRate: e.SIMULATED_FAILURE_RATE,
      },
      embeddingModel: e.EMBEDDING_MODEL,
      graderModel: e.GRADER_MODEL,
      captureMessageContent: e.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
    },
  }),
});
