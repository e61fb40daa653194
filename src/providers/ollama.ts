/** Ollama's HTTP API: /api/chat (non-streaming), /api/embed, /api/tags. */
import { z } from 'zod';
import { joinUrl, requestJson } from './http-json.js';
import type { ChatRequest, ChatResponse, Provider } from './provider.js';
import { ProviderError } from './provider-error.js';
import type { ProviderHttp } from './provider-http.js';
import { tokenCount } from './token-count.js';

const chatAnswer = z.object({
  model: z.string(),
  // `thinking`: a thinking model's reasoning, apart from the answer (requests with `think`).
  message: z.object({ content: z.string(), thinking: z.string().nullable().optional() }),
  done_reason: z.string().optional(),
  // Counts that are missing or not numbers are unknown, never a reason to drop the answer.
  prompt_eval_count: z.unknown().optional(),
  eval_count: z.unknown().optional(),
});
const tagsAnswer = z.object({ models: z.array(z.object({ name: z.string() })) });
const embedAnswer = z.object({ embeddings: z.array(z.array(z.number())) });

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ProviderError('invalid_response', `Unexpected ${what} answer from Ollama`);
  return result.data;
}

export class OllamaProvider implements Provider {
  readonly name = 'ollama';
  readonly simulated = false;

  constructor(
    private readonly baseUrl: string,
    private readonly http?: ProviderHttp,
  ) {}

  async listModels(signal: AbortSignal): Promise<string[]> {
    const answer = parse(
      tagsAnswer,
      await requestJson(joinUrl(this.baseUrl, '/api/tags'), {}, signal, this.http),
      'tags',
    );
    return answer.models.map((m) => m.name);
  }

  async chat(request: ChatRequest, signal: AbortSignal): Promise<ChatResponse> {
    const options: Record<string, number> = {};
    if (request.temperature !== undefined) options.temperature = request.temperature;
    if (request.maxTokens !== undefined) options.num_predict = request.maxTokens;
    const raw = await requestJson(
      joinUrl(this.baseUrl, '/api/chat'),
      {
        body: { model: request.model, messages: request.messages, stream: false, options },
        ...(request.headers === undefined ? {} : { headers: request.headers }),
      },
      signal,
      this.http,
    );
    const answer = parse(chatAnswer, raw, 'chat');
    return {
      output: answer.message.content,
      responseModel: answer.model,
      inputTokens: tokenCount(answer, 'prompt_eval_count'),
      outputTokens: tokenCount(answer, 'eval_count'),
      finishReason: answer.done_reason ?? null,
      ...(answer.message.thinking === undefined ||
      answer.message.thinking === null ||
      answer.message.thinking === ''
        ? {}
        : { reasoning: answer.message.thinking }),
    };
  }

  async embed(model: string, texts: readonly string[], signal: AbortSignal): Promise<number[][]> {
    const raw = await requestJson(
      joinUrl(this.baseUrl, '/api/embed'),
      { body: { model, input: texts } },
      signal,
      this.http,
    );
    const answer = parse(embedAnswer, raw, 'embed');
    if (answer.embeddings.length !== texts.length) {
      throw new ProviderError(
        'invalid_response',
        'Ollama returned a different number of embeddings than texts',
      );
    }
    return answer.embeddings;
  }
}
