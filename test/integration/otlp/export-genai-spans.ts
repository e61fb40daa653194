/**
 * A separate application process: exports GenAI chat spans (current semantic conventions) with
 * the official OpenTelemetry JS SDK to the service's OTLP receiver, then prints one JSON line
 * with the trace and span ids it exported.
 * Usage: tsx export-genai-spans.ts <proto|http> <traces URL> <API key> <count> <card id>
 * `<count>` may be `every:<ms>`: one span every <ms> milliseconds, each exported as it ends,
 * until SIGTERM; then the ids of every span exported.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as HttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const [protocol, url, key, countText, cardId] = process.argv.slice(2);
if (url === undefined || key === undefined || cardId === undefined)
  throw new Error('usage: export-genai-spans <proto|http> <url> <key> <count> <card id>');
const options = { url, headers: { authorization: `Bearer ${key}` } };
const exporter = protocol === 'proto' ? new ProtoExporter(options) : new HttpExporter(options);
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'checkout-assistant' }),
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
const tracer = provider.getTracer('export-genai-spans');
const exported: { traceId: string; spanId: string; output: string }[] = [];

function emit(i: number): void {
  // Every other answer mentions the refund policy: the card's assertion passes on those.
  const output = i % 2 === 0 ? `Our refund policy allows returns (${i})` : `I cannot help (${i})`;
  const span = tracer.startSpan('chat gpt-4o-mini', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: `Can I return item ${i}?` }] },
      ]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: output }] },
      ]),
      'prompt_card.id': cardId,
    },
  });
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
  exported.push({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, output });
}

// Not top-level await: tsx loads this file as CommonJS.
function finish(): void {
  provider
    .forceFlush()
    .then(() => provider.shutdown())
    .then(() => process.stdout.write(`${JSON.stringify(exported)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    });
}

const every = /^every:(\d+)$/.exec(countText ?? '');
if (every === null) {
  for (let i = 0; i < Number(countText); i++) emit(i);
  finish();
} else {
  let i = 0;
  const timer = setInterval(() => emit(i++), Number(every[1]));
  process.once('SIGTERM', () => {
    clearInterval(timer);
    finish();
  });
}
