/**
 * One span → one normalised LLM call, from the OpenTelemetry GenAI semantic conventions
 * (`gen_ai.*`: operation, request/response model, provider or the older `gen_ai.system`, usage
 * tokens, `gen_ai.input.messages`/`gen_ai.output.messages`, or the older content events
 * `gen_ai.user.message`/`gen_ai.choice` and `gen_ai.content.prompt`/`gen_ai.content.completion`)
 * and from OpenInference (`llm.*`, `input.value`, `output.value`). A span with neither is not an
 * LLM call (undefined).
 */
import type { AttributeValue } from './otlp-model.js';

export interface LlmCall {
  readonly traceId: string;
  readonly spanId: string;
  readonly serviceName: string | null;
  readonly operation: string | null;
  readonly model: string | null;
  readonly provider: string | null;
  readonly inputText: string;
  readonly outputText: string;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  /** Every span and resource attribute (span wins), for rule selectors. */
  readonly attributes: ReadonlyMap<string, AttributeValue>;
  /** Span end (ms since the epoch); the receipt time when the span has none. */
  readonly endedAtMs: number;
}

export interface SpanEvent {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, AttributeValue>;
}

export interface SpanInput {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: ReadonlyMap<string, AttributeValue>;
  readonly events: readonly SpanEvent[];
  readonly endedAtMs: number;
}

const text = (v: AttributeValue | undefined): string | null => (v === undefined ? null : String(v));
const count = (v: AttributeValue | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

export function toLlmCall(span: SpanInput): LlmCall | undefined {
  const a = span.attributes;
  const isGenAi = [...a.keys()].some((k) => k.startsWith('gen_ai.'));
  const isOpenInference = a.get('openinference.span.kind') !== undefined || a.has('llm.model_name');
  if (!isGenAi && !isOpenInference) return undefined;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    serviceName: text(a.get('service.name')),
    operation: text(a.get('gen_ai.operation.name')) ?? (isOpenInference ? 'chat' : null),
    model:
      text(a.get('gen_ai.response.model')) ??
      text(a.get('gen_ai.request.model')) ??
      text(a.get('llm.model_name')),
    provider:
      text(a.get('gen_ai.provider.name')) ??
      text(a.get('gen_ai.system')) ??
      text(a.get('llm.provider')) ??
      text(a.get('llm.system')),
    inputText:
      messagesText(a.get('gen_ai.input.messages')) ??
      eventsText(span.events, INPUT_EVENTS) ??
      text(a.get('input.value')) ??
      indexedMessages(a, 'llm.input_messages') ??
      '',
    outputText:
      messagesText(a.get('gen_ai.output.messages')) ??
      eventsText(span.events, OUTPUT_EVENTS) ??
      text(a.get('output.value')) ??
      indexedMessages(a, 'llm.output_messages') ??
      '',
    inputTokens:
      count(a.get('gen_ai.usage.input_tokens')) ?? count(a.get('llm.token_count.prompt')),
    outputTokens:
      count(a.get('gen_ai.usage.output_tokens')) ?? count(a.get('llm.token_count.completion')),
    attributes: a,
    endedAtMs: span.endedAtMs,
  };
}

const INPUT_EVENTS = new Map([
  ['gen_ai.system.message', 'content'],
  ['gen_ai.user.message', 'content'],
  ['gen_ai.assistant.message', 'content'],
  ['gen_ai.tool.message', 'content'],
  ['gen_ai.content.prompt', 'gen_ai.prompt'],
]);
const OUTPUT_EVENTS = new Map([
  ['gen_ai.choice', 'message'],
  ['gen_ai.content.completion', 'gen_ai.completion'],
]);

/** The text parts of the conventions' messages (`[{role, parts: [{type: 'text', content}]}]`). */
function messagesText(value: AttributeValue | undefined): string | null {
  if (typeof value !== 'string') return null;
  let messages: unknown;
  try {
    messages = JSON.parse(value);
  } catch {
    return value; // not JSON: the text itself
  }
  if (!Array.isArray(messages)) return null;
  return messages
    .map(messageText)
    .filter((t) => t !== '')
    .join('\n');
}

function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (typeof message !== 'object' || message === null) return '';
  const m = message as { parts?: unknown; content?: unknown; message?: unknown };
  if (Array.isArray(m.parts))
    return m.parts
      .map((p: unknown) => {
        const part = p as { type?: unknown; content?: unknown } | null;
        return part?.type === 'text' && typeof part.content === 'string' ? part.content : '';
      })
      .filter((t) => t !== '')
      .join('\n');
  if (typeof m.content === 'string') return m.content;
  if (m.message !== undefined) return messageText(m.message);
  return '';
}

/** Older conventions: the content as span events; `field` holds the text or a message object. */
function eventsText(
  events: readonly SpanEvent[],
  kinds: ReadonlyMap<string, string>,
): string | null {
  const texts = events.flatMap((event) => {
    const field = kinds.get(event.name);
    if (field === undefined) return [];
    const value = event.attributes.get(field);
    if (typeof value !== 'string') return [];
    return [
      messagesText(`[${value.trim().startsWith('{') ? value : JSON.stringify(value)}]`) ?? '',
    ];
  });
  return texts.length === 0 ? null : texts.join('\n');
}

/** OpenInference's flattened messages: `llm.input_messages.0.message.content`, … */
function indexedMessages(a: ReadonlyMap<string, AttributeValue>, prefix: string): string | null {
  const texts: string[] = [];
  for (let i = 0; a.has(`${prefix}.${i}.message.content`); i++)
    texts.push(String(a.get(`${prefix}.${i}.message.content`)));
  return texts.length === 0 ? null : texts.join('\n');
}
