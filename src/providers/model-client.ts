/**
 * The one way the rest of the service calls models: resolves `provider:model`, applies the
 * per-attempt timeout, retries retryable failures, measures latency, and prices the call.
 * It also serves the `similar` and `llm-rubric` assertions with the configured embedding
 * and grader models.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { errorMessage, tracer } from '../telemetry/tracing/index.js'; // not the index: it loads the SDK, which `prompt-cards` never needs
import { parseJsonOutput, type Redact } from '../util/index.js';
import { callCost, type ModelPrice } from './cost.js';
import { graderScore } from './grader-score.js';
import { parseModelId } from './model-id.js';
import { splitReasoning } from './reasoning.js';
import type { ModerationFlag } from './openai-moderation.js';
import type { ChatMessage, ChatResponse, Provider } from './provider.js';
import { ProviderError, summarizeProviderError } from './provider-error.js';
import { withRetry, type RetryOptions } from './retry.js';
import { followAbort } from './abort-fanout.js';
import type { ModelCallListener, ModelOperation } from './model-call-record.js';

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
  /** Timeout of one attempt (PROVIDER_TIMEOUT_MS). */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /**
   * Wall time one call may take, every attempt and wait included (PROVIDER_CALL_BUDGET_MS);
   * default `timeoutMs × (maxRetries + 1)`.
   */
  readonly callBudgetMs?: number;
  readonly prices: Readonly<Record<string, ModelPrice>>;
  readonly embeddingModel: string;
  readonly graderModel: string;
  readonly retry?: Omit<RetryOptions, 'maxRetries' | 'deadline'>;
  /** Record prompts and completions on spans (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT). */
  readonly captureMessageContent?: boolean;
  /**
   * Removes secrets from provider text (error messages, answers) as it enters the service, so
   * nothing downstream (results, API, WebSocket, spans, logs) can see them.
   */
  readonly redact?: Redact;
  /** Every chat, grader and embedding call, answered or failed (the GenAI metrics). */
  readonly onCall?: ModelCallListener;
}

export interface ProviderModels {
  readonly provider: string;
  readonly simulated: boolean;
  readonly models: string[];
  /**
   * True when the provider could not list its models (unreachable, no list endpoint): runs
   * then accept any of its model ids, unchecked. False: runs accept only listed models.
   */
  readonly accepts_unlisted: boolean;
  /** Set when the provider could not be reached: a classified summary, not the provider's text. */
  readonly error?: { readonly kind: string; readonly message: string };
}

/** How long a provider's model list is reused when checking the models of a new run. */
const MODEL_LIST_TTL_MS = 30_000;

/** Whether a listed model name is the requested one; Ollama's `x` is `x:latest`. */
function sameModel(requested: string, listed: ReadonlySet<string>): boolean {
  return listed.has(requested) || (!requested.includes(':') && listed.has(`${requested}:latest`));
}

/** Characters of a provider's error message kept in results, spans and logs. */
const MAX_ERROR_MESSAGE = 500;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

const GRADER_SYSTEM_PROMPT =
  'You grade an AI output against a rubric. Answer with JSON only: {"score": <number from 0 to 1>, "reason": "<one sentence>"}.';

export class ModelClient {
  private readonly providers: ReadonlyMap<string, Provider>;
  /** Model lists by provider, as last listed (for checking a new run's models). */
  private readonly listed = new Map<string, { models: ReadonlySet<string>; at: number }>();

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
   * A plain controller, timer and abort follower instead of AbortSignal.any/timeout: on Node 20
   * those cost several times more per call (weak references, extra timers), which showed in
   * bench/run-throughput at high concurrency. The caller's signal is followed through
   * `followAbort`, not a listener of its own: a run's signal is shared by every call in flight.
   */
  private async attempt<T>(
    signal: AbortSignal,
    call: (signal: AbortSignal) => Promise<T>,
    deadline?: number,
  ): Promise<T> {
    if (signal.aborted) throw signal.reason;
    // An attempt ends at its own timeout or at the end of the call budget, whichever is first.
    const left = deadline === undefined ? Infinity : deadline - performance.now();
    const timeoutMs = Math.min(this.options.timeoutMs, left);
    const byBudget = timeoutMs < this.options.timeoutMs;
    if (timeoutMs <= 0) throw new ProviderError('timeout', 'The call budget is spent');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('attempt timed out'));
    }, timeoutMs);
    const unfollow = followAbort(signal, () => controller.abort(signal.reason));
    try {
      return await call(controller.signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      if (timedOut) {
        throw new ProviderError(
          'timeout',
          byBudget
            ? `No answer within the call budget of ${this.budgetMs()} ms`
            : `No answer within ${this.options.timeoutMs} ms`,
        );
      }
      throw this.clean(error);
    } finally {
      clearTimeout(timer);
      unfollow();
    }
  }

  /** The wall time one call may take, attempts and waits included. */
  private budgetMs(): number {
    return this.options.callBudgetMs ?? this.options.timeoutMs * (this.options.maxRetries + 1);
  }

  /** Retries `call` under the per-attempt timeout and the call budget. */
  private withBudget<T>(
    signal: AbortSignal,
    call: (signal: AbortSignal) => Promise<T>,
  ): ReturnType<typeof withRetry<T>> {
    const deadline = performance.now() + this.budgetMs();
    return withRetry(() => this.attempt(signal, call, deadline), signal, {
      ...this.options.retry,
      maxRetries: this.options.maxRetries,
      deadline,
    });
  }

  /** Provider text as it may leave the service: configured secrets and tokens redacted. */
  private redact(text: string): string {
    return this.options.redact === undefined ? text : this.options.redact(text);
  }

  /**
   * The same failure with its message redacted (a provider's message may echo a key), then
   * shortened: in that order, so truncation never cuts a key in two that redaction would miss.
   */
  private clean(error: unknown): Error {
    const text = (message: string) => truncate(this.redact(message), MAX_ERROR_MESSAGE);
    if (error instanceof ProviderError) return error.with({ message: text(error.message) });
    return new Error(text(error instanceof Error ? error.message : String(error)));
  }

  async chat(
    modelId: string,
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    extra: {
      headers?: Readonly<Record<string, string>>;
      temperature?: number;
      operation?: ModelOperation;
      /** Ask for the output tokens' logprobs (see `ChatRequest.logProbs`). */
      logProbs?: boolean;
      /** The test case's variables (see `ChatRequest.vars`). */
      vars?: Readonly<Record<string, unknown>>;
    } = {},
  ): Promise<ModelCall> {
    const { provider, model } = this.resolve(modelId);
    const started = performance.now();
    const record = (errorType: string, call?: ModelCall) =>
      this.options.onCall?.({
        operation: extra.operation ?? 'chat',
        operationName: 'chat',
        provider: provider.name,
        model,
        durationSeconds: (performance.now() - started) / 1000,
        errorType,
        inputTokens: call?.inputTokens ?? null,
        outputTokens: call?.outputTokens ?? null,
        costUsd: call?.costUsd ?? null,
      });
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
          record('', call);
          return call;
        } catch (error) {
          const type = signal.aborted
            ? 'cancelled'
            : error instanceof ProviderError
              ? error.kind
              : 'internal';
          span.setAttribute('error.type', type);
          record(type);
          if (error instanceof ProviderError && error.details.attempts !== undefined)
            span.setAttribute('pcs.attempts', error.details.attempts);
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
    extra: {
      headers?: Readonly<Record<string, string>>;
      temperature?: number;
      logProbs?: boolean;
      vars?: Readonly<Record<string, unknown>>;
    },
  ): Promise<ModelCall> {
    const started = performance.now();
    const { value, attempts } = await this.withBudget(signal, (s) =>
      provider.chat(
        {
          model,
          messages,
          ...(extra.headers === undefined ? {} : { headers: extra.headers }),
          ...(extra.temperature === undefined ? {} : { temperature: extra.temperature }),
          ...(extra.logProbs === true ? { logProbs: true } : {}),
          ...(extra.vars === undefined ? {} : { vars: extra.vars }),
        },
        s,
      ),
    );
    return {
      ...value,
      output: this.redact(value.output),
      responseModel: this.redact(value.responseModel),
      ...(value.refusal === undefined ? {} : { refusal: this.redact(value.refusal) }),
      ...(value.reasoning === undefined ? {} : { reasoning: this.redact(value.reasoning) }),
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
    const started = performance.now();
    let errorType = '';
    return tracer().startActiveSpan(
      `embeddings ${model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'embeddings',
          'gen_ai.provider.name': provider.name,
          'gen_ai.request.model': model,
        },
      },
      async (span) => {
        try {
          return (await this.withBudget(signal, (s) => embed(model, texts, s))).value;
        } catch (error) {
          errorType = signal.aborted
            ? 'cancelled'
            : error instanceof ProviderError
              ? error.kind
              : 'internal';
          span.setAttribute('error.type', errorType);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
          throw error;
        } finally {
          span.end();
          this.options.onCall?.({
            operation: 'embedding',
            operationName: 'embeddings',
            provider: provider.name,
            model,
            durationSeconds: (performance.now() - started) / 1000,
            errorType,
            inputTokens: null,
            outputTokens: null,
            costUsd: null,
          });
        }
      },
    );
  }

  async grade(
    rubric: string,
    output: string,
    signal: AbortSignal,
    operation: 'grader' | 'online_grader' = 'grader',
  ): Promise<{ score: number; reason: string; costUsd: number | null }> {
    const call = await this.chat(
      this.options.graderModel,
      [
        { role: 'system', content: GRADER_SYSTEM_PROMPT },
        { role: 'user', content: `<rubric>${rubric}</rubric>\n<output>${output}</output>` },
      ],
      signal,
      { temperature: 0, operation },
    );
    // A reasoning grader thinks aloud before its JSON: only the answer after it is parsed.
    const parsed = parseJsonOutput(splitReasoning(call.output).output);
    const value = parsed.ok ? (parsed.value as { score?: unknown; reason?: unknown }) : undefined;
    const score = graderScore(value?.score);
    if (score === undefined) {
      throw new ProviderError(
        'invalid_response',
        `The grader did not answer {"score": 0..1, "reason": "…"}: ${truncate(call.output, 200)}`,
      );
    }
    return {
      score,
      reason: typeof value?.reason === 'string' ? value.reason : '',
      costUsd: call.costUsd,
    };
  }

  /**
   * Sends `messages` to the grader model (a custom rubric prompt, a model-graded kind's
   * conversation) and resolves to its answer text, reasoning removed, and the call's cost
   * (USD; null without a price). Provider failures are thrown as ProviderError.
   */
  async askGrader(
    messages: readonly ChatMessage[],
    signal: AbortSignal,
    operation: 'grader' | 'online_grader' = 'grader',
  ): Promise<{ text: string; costUsd: number | null }> {
    const call = await this.chat(this.options.graderModel, messages, signal, {
      temperature: 0,
      operation,
    });
    return { text: splitReasoning(call.output).output, costUsd: call.costUsd };
  }

  /**
   * The categories a moderation model (`openai:omni-moderation-latest`; promptfoo's
   * `moderation` assertion) flags in `text`, under the same timeout, retries and call budget
   * as every call. A provider without moderation is a `bad_request` ProviderError.
   */
  async moderate(modelId: string, text: string, signal: AbortSignal): Promise<ModerationFlag[]> {
    const { provider, model } = this.resolve(modelId);
    const moderate = provider.moderate?.bind(provider);
    if (moderate === undefined)
      throw new ProviderError('bad_request', `Provider "${provider.name}" offers no moderation`);
    return (await this.withBudget(signal, (s) => moderate(model, text, s))).value;
  }

  /** The models a provider lists now (remembered for `unlistedModels`); throws when it cannot. */
  private async listOf(provider: Provider, signal: AbortSignal): Promise<string[]> {
    const models = await this.attempt(signal, (s) => provider.listModels(s));
    this.listed.set(provider.name, { models: new Set(models), at: Date.now() });
    return models;
  }

  /**
   * The ids among `modelIds` whose provider lists its models and does not list this one. A
   * provider that cannot list (unreachable, no list endpoint, no answer before `signal`)
   * accepts every id: that is reported by `listModels` as `accepts_unlisted`. Lists are
   * reused for 30 s.
   */
  async unlistedModels(modelIds: readonly string[], signal: AbortSignal): Promise<string[]> {
    const lists = new Map<string, ReadonlySet<string> | undefined>();
    for (const modelId of modelIds) {
      const provider = this.providerFor(modelId);
      if (provider === undefined || lists.has(provider.name)) continue;
      const cached = this.listed.get(provider.name);
      if (cached !== undefined && Date.now() - cached.at < MODEL_LIST_TTL_MS) {
        lists.set(provider.name, cached.models);
        continue;
      }
      try {
        lists.set(provider.name, new Set(await this.listOf(provider, signal)));
      } catch {
        lists.set(provider.name, undefined);
      }
    }
    return modelIds.filter((modelId) => {
      const id = parseModelId(modelId);
      const models = id === undefined ? undefined : lists.get(id.provider);
      return id !== undefined && models !== undefined && !sameModel(id.model, models);
    });
  }

  /** Every provider's models; an unreachable provider is reported with its error, not thrown. */
  async listModels(signal: AbortSignal): Promise<ProviderModels[]> {
    return Promise.all(
      [...this.providers.values()].map(async (provider): Promise<ProviderModels> => {
        try {
          const models = await this.listOf(provider, signal);
          return {
            provider: provider.name,
            simulated: provider.simulated,
            models: models.map((m) => `${provider.name}:${m}`),
            accepts_unlisted: false,
          };
        } catch (error) {
          return {
            provider: provider.name,
            simulated: provider.simulated,
            models: [],
            accepts_unlisted: true,
            error: summarizeProviderError(error),
          };
        }
      }),
    );
  }
}
