/**
 * The one way the rest of the service calls models: resolves `provider:model`, applies the
 * per-attempt timeout, retries retryable failures, measures latency, and prices the call.
 * It also serves the `similar` and `llm-rubric` assertions with the configured embedding
 * and grader models.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { errorMessage, tracer } from '../telemetry/tracing/tracing-service.js'; // not the index: it loads the SDK, which `prompt-cards` never needs
import { parseJsonOutput } from '../util/json-output.js';
import { callCost, type ModelPrice } from './cost.js';
import { parseModelId } from './model-id.js';
import type { ChatMessage, ChatResponse, Provider } from './provider.js';
import { ProviderError } from './provider-error.js';
import { withRetry, type RetryOptions } from './retry.js';

export interface ModelCall extends ChatResponse {
  readonly modelId: string;
  readonly provider: string;
  /** Wall time from the first attempt to the answer, retries and backoff included. */
  readonly latencyMs: number;
  readonly attempts: number;
  readonly costUsd: number | null;
  readonly simulated: boolean;
}

export interface ModelClientOptions {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly prices: Readonly<Record<string, ModelPrice>>;
  readonly embeddingModel: string;
  readonly graderModel: string;
  readonly retry?: Omit<RetryOptions, 'maxRetries'>;
  /** Record prompts and completions on spans (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT). */
  readonly captureMessageContent?: boolean;
}

export interface ProviderModels {
  readonly provider: string;
  readonly simulated: boolean;
  readonly models: string[];
  /** Set when the provider could not be reached; the other providers are still listed. */
  readonly error?: { readonly kind: string; readonly message: string };
}

const GRADER_SYSTEM_PROMPT =
  'You grade an AI output against a rubric. Answer with JSON only: {"score": <number from 0 to 1>, "reason": "<one sentence>"}.';

export class ModelClient {
  private readonly providers: ReadonlyMap<string, Provider>;

  constructor(
    providers: readonly Provider[],
    private readonly options: ModelClientOptions,
  ) {
    this.providers = new Map(providers.map((p) => [p.name, p]));
  }

  providerNames(): string[] {
    return [...this.providers.keys()];
  }

  /** The provider of a model id, or undefined when the id is malformed or the provider is off. */
  providerFor(modelId: string): Provider | undefined {
    const id = parseModelId(modelId);
    return id === undefined ? undefined : this.providers.get(id.provider);
  }

  private resolve(modelId: string): { provider: Provider; model: string } {
    const id = parseModelId(modelId);
    const provider = id === undefined ? undefined : this.providers.get(id.provider);
    if (id === undefined || provider === undefined) {
      throw new ProviderError('bad_request', `No configured provider for model "${modelId}"`);
    }
    return { provider, model: id.model };
  }

  /**
   * Runs one attempt under the per-attempt timeout; a timeout becomes a `timeout` error.
   * A plain controller, timer and listener instead of AbortSignal.any/timeout: on Node 20 those
   * cost several times more per call (weak references, extra timers), which showed in
   * bench/run-throughput at high concurrency.
   */
  private async attempt<T>(
    signal: AbortSignal,
    call: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (signal.aborted) throw signal.reason;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('attempt timed out'));
    }, this.options.timeoutMs);
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await call(controller.signal);
    } catch (error) {
      if (timedOut && !signal.aborted) {
        throw new ProviderError('timeout', `No answer within ${this.options.timeoutMs} ms`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  async chat(
    modelId: string,
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    extra: { headers?: Readonly<Record<string, string>>; temperature?: number } = {},
  ): Promise<ModelCall> {
    const { provider, model } = this.resolve(modelId);
    // A client span per model call, after the OpenTelemetry GenAI conventions; the HTTP
    // attempts (and their traceparent headers) are its children.
    return tracer().startActiveSpan(
      `chat ${model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': provider.name,
          'gen_ai.request.model': model,
          ...(extra.temperature === undefined
            ? {}
            : { 'gen_ai.request.temperature': extra.temperature }),
        },
      },
      async (span) => {
        if (this.options.captureMessageContent === true) {
          span.setAttribute('gen_ai.input.messages', JSON.stringify(messages));
        }
        try {
          const call = await this.chatWithRetry(provider, model, modelId, messages, signal, extra);
          span.setAttributes({
            'gen_ai.response.model': call.responseModel,
            ...(call.inputTokens === null ? {} : { 'gen_ai.usage.input_tokens': call.inputTokens }),
            ...(call.outputTokens === null
              ? {}
              : { 'gen_ai.usage.output_tokens': call.outputTokens }),
            ...(call.finishReason === null
              ? {}
              : { 'gen_ai.response.finish_reasons': [call.finishReason] }),
            'pcs.attempts': call.attempts,
          });
          if (this.options.captureMessageContent === true) {
            span.setAttribute(
              'gen_ai.output.messages',
              JSON.stringify([{ role: 'assistant', content: call.output }]),
            );
          }
          return call;
        } catch (error) {
          const type = signal.aborted
            ? 'cancelled'
            : error instanceof ProviderError
              ? error.kind
              : 'internal';
          span.setAttribute('error.type', type);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async chatWithRetry(
    provider: Provider,
    model: string,
    modelId: string,
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    extra: { headers?: Readonly<Record<string, string>>; temperature?: number },
  ): Promise<ModelCall> {
    const started = performance.now();
    const { value, attempts } = await withRetry(
      () =>
        this.attempt(signal, (s) =>
          provider.chat(
            {
              model,
              messages,
              ...(extra.headers === undefined ? {} : { headers: extra.headers }),
              ...(extra.temperature === undefined ? {} : { temperature: extra.temperature }),
            },
            s,
          ),
        ),
      signal,
      { ...this.options.retry, maxRetries: this.options.maxRetries },
    );
    return {
      ...value,
      modelId,
      provider: provider.name,
      latencyMs: performance.now() - started,
      attempts,
      costUsd: callCost(this.options.prices[modelId], value.inputTokens, value.outputTokens),
      simulated: provider.simulated,
    };
  }

  async embed(texts: readonly string[], signal: AbortSignal): Promise<number[][]> {
    const { provider, model } = this.resolve(this.options.embeddingModel);
    const embed = provider.embed?.bind(provider);
    if (embed === undefined) {
      throw new ProviderError('bad_request', `Provider "${provider.name}" offers no embeddings`);
    }
    const { value } = await withRetry(
      () => this.attempt(signal, (s) => embed(model, texts, s)),
      signal,
      { ...this.options.retry, maxRetries: this.options.maxRetries },
    );
    return value;
  }

  async grade(
    rubric: string,
    output: string,
    signal: AbortSignal,
  ): Promise<{ score: number; reason: string }> {
    const call = await this.chat(
      this.options.graderModel,
      [
        { role: 'system', content: GRADER_SYSTEM_PROMPT },
        { role: 'user', content: `<rubric>${rubric}</rubric>\n<output>${output}</output>` },
      ],
      signal,
      { temperature: 0 },
    );
    const parsed = parseJsonOutput(call.output);
    const value = parsed.ok ? (parsed.value as { score?: unknown; reason?: unknown }) : undefined;
    if (typeof value?.score !== 'number' || value.score < 0 || value.score > 1) {
      throw new ProviderError(
        'invalid_response',
        'The grader did not answer {"score": 0..1, "reason": "…"}',
      );
    }
    return { score: value.score, reason: typeof value.reason === 'string' ? value.reason : '' };
  }

  /** Every provider's models; an unreachable provider is reported with its error, not thrown. */
  async listModels(signal: AbortSignal): Promise<ProviderModels[]> {
    return Promise.all(
      [...this.providers.values()].map(async (provider): Promise<ProviderModels> => {
        try {
          const models = await this.attempt(signal, (s) => provider.listModels(s));
          return {
            provider: provider.name,
            simulated: provider.simulated,
            models: models.map((m) => `${provider.name}:${m}`),
          };
        } catch (error) {
          const kind = error instanceof ProviderError ? error.kind : 'unavailable';
          const message = error instanceof Error ? error.message : String(error);
          return {
            provider: provider.name,
            simulated: provider.simulated,
            models: [],
            error: { kind, message },
          };
        }
      }),
    );
  }
}
