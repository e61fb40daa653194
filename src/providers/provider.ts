/**
 * The `Provider` seam: one LLM backend (Ollama, an OpenAI-compatible server, the simulator).
 *
 * Implementer's contract:
 * - Every call takes an `AbortSignal` and stops promptly when it aborts (rejecting with the
 *   signal's reason); the caller owns timeouts and retries (see `ModelClient`).
 * - Failures are thrown as `ProviderError` with a classified `kind`; a 429's Retry-After is
 *   passed on as `retryAfterMs`. Nothing else is thrown.
 * - Token usage is reported when the backend gives it (null when it does not; never guessed
 *   for real backends).
 * - Inputs are never modified; API keys never appear in errors or logs.
 */
import type { ModerationFlag } from './openai-moderation.js';
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatRequest {
  /** The model name inside the provider (the part after `provider:`). */
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Extra request headers (e.g. W3C `traceparent`). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Further request body keys sent as they are (OpenAI-compatible: `tools`, `response_format`,
   * `seed`, …); the named fields above win over them.
   */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Ask for the output tokens' logprobs (OpenAI-compatible `logprobs: true`; for `perplexity`). */
  readonly logProbs?: boolean;
  /**
   * The test case's variables, for a provider whose settings are templates over them (a
   * suite's `tools`, `functions`, `response_format`, `reasoning_effort`); never sent as such.
   */
  readonly vars?: Readonly<Record<string, unknown>>;
}

export interface ChatResponse {
  readonly output: string;
  /** The model that answered, as the backend names it. */
  readonly responseModel: string;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /**
   * Why the model stopped, as the backend names it: OpenAI's `finish_reason` (`stop`, `length`,
   * `tool_calls`, `content_filter`), Ollama's `done_reason`; null when it did not say.
   */
  readonly finishReason: string | null;
  /**
   * The model's refusal message, when it declined instead of answering (OpenAI's
   * `message.refusal`; `output` is then empty). Absent otherwise.
   */
  readonly refusal?: string;
  /**
   * The model's reasoning, kept apart from `output`: what the server sent separately (vLLM's
   * and DeepSeek's `reasoning_content`, `reasoning`, Ollama's `message.thinking`), or the
   * `<think>` blocks taken out of the output (see reasoning.ts). Absent when there was none.
   */
  readonly reasoning?: string;
  /** True when `output` is JSON the request asked for (tool calls, a json_schema format). */
  readonly structured?: boolean;
  /**
   * The natural-log probability of each output token, when the request asked for them
   * (`ChatRequest.logProbs`) and the server gave them (OpenAI's `logprobs.content[].logprob`).
   */
  readonly logProbs?: readonly number[];
}

export interface Provider {
  /** The prefix of model ids: `ollama`, `openai`, `simulated`. */
  readonly name: string;
  /** True for the built-in simulator: its results are marked as simulated in the API. */
  readonly simulated: boolean;
  listModels(signal: AbortSignal): Promise<string[]>;
  chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse>;
  /** Present when the backend offers embeddings. */
  embed?(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]>;
  /** Present when the backend offers moderation (OpenAI's /v1/moderations): the flagged categories. */
  moderate?(model: string, text: string, signal: AbortSignal): Promise<ModerationFlag[]>;
}
