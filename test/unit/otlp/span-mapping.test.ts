/**
 * Span → normalised LLM call across the conventions: current GenAI attributes, the older GenAI
 * content events, and OpenInference; a span of neither is no LLM call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toLlmCall, type SpanEvent } from '../../../src/otlp/span-mapping.js';
import type { AttributeValue } from '../../../src/otlp/otlp-model.js';

function call(attributes: Record<string, AttributeValue>, events: SpanEvent[] = []) {
  return toLlmCall({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    attributes: new Map(Object.entries(attributes)),
    events,
    endedAtMs: 1,
  });
}

const event = (name: string, attributes: Record<string, AttributeValue>): SpanEvent => ({
  name,
  attributes: new Map(Object.entries(attributes)),
});

describe('span mapping', () => {
  it('reads the current GenAI conventions', () => {
    const mapped = call({
      'service.name': 'shop',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.input.messages': JSON.stringify([
        { role: 'system', parts: [{ type: 'text', content: 'Be brief' }] },
        {
          role: 'user',
          parts: [
            { type: 'text', content: 'Hi' },
            { type: 'image', uri: 'x' },
          ],
        },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' },
      ]),
    });
    assert.deepEqual(mapped && { ...mapped, attributes: undefined }, {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      serviceName: 'shop',
      operation: 'chat',
      model: 'gpt-4o-2024-08-06',
      provider: 'openai',
      inputText: 'Be brief\nHi',
      outputText: 'Hello',
      inputTokens: 10,
      outputTokens: 4,
      attributes: undefined,
      endedAtMs: 1,
    });
  });

  it('reads the older content events and gen_ai.system', () => {
    const mapped = call({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4' }, [
      event('gen_ai.user.message', { content: 'What is 2+2?' }),
      event('gen_ai.choice', { message: JSON.stringify({ role: 'assistant', content: '4' }) }),
    ]);
    assert.equal(mapped?.provider, 'openai');
    assert.equal(mapped?.model, 'gpt-4');
    assert.equal(mapped?.inputText, 'What is 2+2?');
    assert.equal(mapped?.outputText, '4');
  });

  it('reads the oldest prompt/completion events', () => {
    const mapped = call({ 'gen_ai.system': 'openai' }, [
      event('gen_ai.content.prompt', { 'gen_ai.prompt': 'Q' }),
      event('gen_ai.content.completion', { 'gen_ai.completion': 'A' }),
    ]);
    assert.equal(mapped?.inputText, 'Q');
    assert.equal(mapped?.outputText, 'A');
  });

  it('reads OpenInference attributes', () => {
    const mapped = call({
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'claude-3-5-sonnet',
      'llm.provider': 'anthropic',
      'llm.token_count.prompt': 7,
      'llm.token_count.completion': 3,
      'input.value': 'Tell a joke',
      'output.value': 'Why did…',
    });
    assert.equal(mapped?.model, 'claude-3-5-sonnet');
    assert.equal(mapped?.provider, 'anthropic');
    assert.equal(mapped?.inputText, 'Tell a joke');
    assert.equal(mapped?.outputText, 'Why did…');
    assert.equal(mapped?.inputTokens, 7);
    assert.equal(mapped?.outputTokens, 3);
  });

  it('reads OpenInference flattened messages when input.value is absent', () => {
    const mapped = call({
      'llm.model_name': 'm',
      'llm.input_messages.0.message.content': 'a',
      'llm.input_messages.1.message.content': 'b',
      'llm.output_messages.0.message.content': 'c',
    });
    assert.equal(mapped?.inputText, 'a\nb');
    assert.equal(mapped?.outputText, 'c');
  });

  it('is no LLM call for a span of neither convention', () => {
    assert.equal(call({ 'http.request.method': 'GET' }), undefined);
  });
});
