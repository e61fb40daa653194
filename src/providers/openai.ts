/**
 * Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, LM Studio):
 * /v1/chat/completions, /v1/embeddings, /v1/moderations, /v1/models. The base URL may end in /v1
 * or not.
 */
import { z } from 'zod';
import { joinUrl, requestJson } from './http-json.js';
import { requestModeration, type ModerationFlag } from './openai-moderation.js';
import type { ChatRequest, ChatResponse, Provider } from './provider.js';
import { ProviderError } from './provider-error.js';
import type { ProviderHttp } from './provider-http.js';
import { tokenCount } from './token-count.js';

const chatAnswer = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullable().optional(),
          // A declined request: the refusal text instead of content (structured outputs).
          refusal: z.string().nullable().optional(),
          // Reasoning servers (vLLM, DeepSeek, llama.cpp) send the thinking apart from the answer.
          reasoning_content: z.string().nullable().optional(),
          reasoning: z.string().nullable().optional(),
          tool_calls: z.array(z.unknown()).optional(),
          function_call: z.unknown().optional(),
        }),
        finish_reason: z.string().nullable().optional(),
        // Asked for with logprobs: true; servers that do not give them leave it out or null.
        logprobs: z
          .object({
            content: z
              .array(z.object({ logprob: z.number() }))
              .nullable()
              .optional(),
          })
          .nullable()
          .optional()
          .catch(undefined),
      }),
    )
    .min(1),
  // Servers leave counts out or send odd ones; those are unknown, never a reason to drop the answer.
  usage: z.unknown().optional(),
});
const modelsAnswer = z.object({ data: z.array(z.object({ id: z.string() })) });
const embeddingsAnswer = z.object({
  data: z.array(z.object({ index: z.number().int(), embedding: z.array(z.number()) })),
});

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ProviderError(
      'invalid_response',
      `Unexpected ${what} answer from the OpenAI-compatible server`,
    );
  return result.data;
}

function nonEmpty(text: string | null | undefined): string | undefined {
  return text === null || text === undefined || text === '' ? undefined : text;
}

export class OpenAiProvider implements Provider {
  readonly name = 'openai';
  readonly simulated = false;
  private readonly apiBase: string;

  constructor(
    baseUrl: string,
    private readonly apiKey: string | undefined,
    private readonly http?: ProviderHttp,
  ) {
    this.apiBase = /\/v1\/?$/.test(baseUrl) ? baseUrl : joinUrl(baseUrl, '/v1');
  }

  private headers(extra?: Readonly<Record<string, string>>): Record<string, string> {
    return {
      ...(this.apiKey === undefined ? {} : { authorization: `Bearer ${this.apiKey}` }),
      ...extra,
    };
  }

  async listModels(signal: AbortSignal): Promise<string[]> {
    const raw = await requestJson(
      joinUrl(this.apiBase, '/models'),
      { headers: this.headers() },
      signal,
      this.http,
    );
    return parse(modelsAnswer, raw, 'models').data.map((m) => m.id);
  }

  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
    const raw = await requestJson(
      joinUrl(this.apiBase, '/chat/completions'),
      {
        body: {
          ...request.body,
          model: request.model,
          messages: request.messages,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
          ...(request.logProbs === true ? { logprobs: true } : {}),
        },
        headers: this.headers(request.headers),
      },
      signal,
      this.http,
    );
    const answer = parse(chatAnswer, raw, 'chat');
    const choice = answer.choices[0];
    const message = choice?.message;
    const reasoning = nonEmpty(message?.reasoning_content) ?? nonEmpty(message?.reasoning);
    const logProbs = choice?.logprobs?.content?.map((t) => t.logprob);
    // A tool-call answer has no text: its calls are the output, as JSON (promptfoo's output).
    const calls =
      message?.tool_calls !== undefined && message.tool_calls.length > 0
        ? message.tool_calls
        : message?.function_call;
    return {
      output:
        (message?.content ?? '') === '' && calls !== undefined && calls !== null
          ? JSON.stringify(calls)
          : (message?.content ?? ''),
      responseModel: answer.model ?? request.model,
      inputTokens: tokenCount(answer.usage, 'prompt_tokens'),
      outputTokens: tokenCount(answer.usage, 'completion_tokens'),
      finishReason: choice?.finish_reason ?? null,
      ...(nonEmpty(message?.refusal) === undefined ? {} : { refusal: nonEmpty(message?.refusal) }),
      ...(reasoning === undefined ? {} : { reasoning }),
      ...(logProbs === undefined || logProbs.length === 0 ? {} : { logProbs }),
      ...((message?.content ?? '') === '' && calls !== undefined && calls !== null
        ? { structured: true }
        : {}),
    };
  }

  async embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]> {
    const raw = await requestJson(
      joinUrl(this.apiBase, '/embeddings'),
      { body: { model, input: texts }, headers: this.headers() },
      signal,
      this.http,
    );
    const data = parse(embeddingsAnswer, raw, 'embeddings').data;
    if (data.length !== texts.length) {
      throw new ProviderError(
        'invalid_response',
        'The server returned a different number of embeddings than texts',
      );
    }
    return [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
  }

  moderate(model: string, text: string, signal: AbortSignal): Promise<ModerationFlag[]> {
    return requestModeration(this.apiBase, this.headers(), this.http, model, text, signal);
  }
}
