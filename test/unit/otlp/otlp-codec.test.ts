/**
 * The receiver's protobuf and JSON readers against the OpenTelemetry JS SDK's own serializers
 * (@opentelemetry/otlp-transformer): both encodings of the same span read to the same ids and
 * attributes, and the SDK reads the receiver's partial-success answer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProtobufTraceSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { planIngest } from '../../../src/otlp/ingest.js';
import type { OnlineRule } from '../../../src/otlp/online-eval-store.js';
import { readTraceRequestJson } from '../../../src/otlp/otlp-json.js';
import { decodeTraceRequest, encodeTraceResponse } from '../../../src/otlp/otlp-proto.js';

function spans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'shop' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const span = provider.getTracer('t').startSpan('chat', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }] },
      ]),
      'prompt_card.id': 'card-1',
    },
  });
  span.end();
  return { finished: memory.getFinishedSpans(), ids: span.spanContext() };
}

const rule: OnlineRule = {
  id: 'r',
  prompt_card_id: 'card-1',
  service_name: 'shop',
  model: 'gpt-4o',
  require_card_attribute: true,
  sample_rate: 1,
  assertions: null,
  variables: { answer: 'output' },
  created_at: '',
};
const limits = { maxAttributes: 100, maxValueChars: 1000 };

describe('OTLP codecs against the SDK serializers', () => {
  it('reads protobuf and JSON exports of the same span alike', () => {
    const { finished, ids } = spans();
    const proto = ProtobufTraceSerializer.serializeRequest(finished);
    const json = JsonTraceSerializer.serializeRequest(finished);
    assert.ok(proto !== undefined && json !== undefined);
    const fromProto = planIngest(decodeTraceRequest(proto), [rule], limits);
    const fromJson = planIngest(
      readTraceRequestJson(Buffer.from(json).toString('utf8')),
      [rule],
      limits,
    );
    assert.deepEqual(fromProto, fromJson);
    assert.equal(fromProto.seen, 1);
    assert.equal(fromProto.rejected, 0);
    const [evaluation] = fromProto.evaluations;
    assert.equal(evaluation?.traceId, ids.traceId);
    assert.equal(evaluation?.spanId, ids.spanId);
    assert.equal(evaluation?.model, 'gpt-4o');
    assert.equal(evaluation?.outputText, 'Hello');
    assert.deepEqual(evaluation?.variables, { answer: 'Hello' });
  });

  it('selects nothing when the rule names another service', () => {
    const proto = ProtobufTraceSerializer.serializeRequest(spans().finished);
    assert.ok(proto !== undefined);
    const outcome = planIngest(
      decodeTraceRequest(proto),
      [{ ...rule, service_name: 'other' }],
      limits,
    );
    assert.equal(outcome.seen, 1);
    assert.deepEqual(outcome.evaluations, []);
  });

  it('answers partial success in a form the SDK reads', () => {
    const answer = ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse(2, 'bad ids'));
    assert.equal(Number(answer.partialSuccess?.rejectedSpans), 2);
    assert.equal(answer.partialSuccess?.errorMessage, 'bad ids');
    assert.deepEqual(ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse(0, '')), {});
  });
});

describe('OTLP values at the edges', () => {
  const limits = { maxAttributes: 100, maxValueChars: 100_000 };
  const exportWith = (value: object) =>
    JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'x', value },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });

  it('reads an attribute whose value sets nothing as empty text', () => {
    const outcome = planIngest(readTraceRequestJson(exportWith({})), [], limits);
    assert.equal(outcome.seen, 1);
  });

  it('refuses a too deeply nested value as malformed, not with a crash', () => {
    // Written as text: JSON.stringify itself would run out of stack on it.
    const depth = 20_000;
    const nested = `${'{"arrayValue":{"values":['.repeat(depth)}{"stringValue":"leaf"}${']}}'.repeat(depth)}`;
    const text = exportWith({ stringValue: 'HOLE' }).replace('{"stringValue":"HOLE"}', nested);
    assert.throws(() => readTraceRequestJson(text), /nested too deeply/);
  });
});
