/**
 * One OTLP/protobuf export of `BATCH` GenAI chat spans for the ingest benches, built with the
 * OpenTelemetry SDK's own serializer: `batch(cardId, traceId?)` returns the request body; with
 * `traceId` every span shares it (the soak counts exports by trace id), else each span has its
 * own random trace. Each span carries `prompt_card.id`, input and output messages (≈ 150 and
 * ≈ 200 characters) and token usage.
 */
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export const BATCH = 512;

export function batch(cardId: string, traceId?: string): Uint8Array {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const parent =
    traceId === undefined
      ? undefined
      : trace.setSpanContext(ROOT_CONTEXT, {
          traceId,
          spanId: randomBytes(8).toString('hex'),
          traceFlags: TraceFlags.SAMPLED,
        });
  for (let i = 0; i < BATCH; i++)
    provider
      .getTracer('bench')
      .startSpan(
        'chat',
        {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 40,
            'gen_ai.usage.output_tokens': 80,
            'gen_ai.input.messages': JSON.stringify([
              { role: 'user', parts: [{ type: 'text', content: `Question ${i} `.repeat(10) }] },
            ]),
            'gen_ai.output.messages': JSON.stringify([
              { role: 'assistant', parts: [{ type: 'text', content: `Answer ${i} `.repeat(20) }] },
            ]),
            'prompt_card.id': cardId,
          },
        },
        parent,
      )
      .end();
  return ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans()) ?? new Uint8Array();
}
