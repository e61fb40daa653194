/**
 * OTLP ingest acceptance: spans per second the receiver accepts (decoded, mapped, sampled,
 * stored before the answer) at sample rates 0.01 and 1.0, in one process on SQLite, with the
 * evaluator off so only acceptance is measured. Batches of 512 GenAI spans as protobuf (the
 * SDK's own serializer), 4 exports in flight. Prints a table; the ratio row compares the two
 * rates in the same run. Then, against the real service process (otlp-soak.ts): resident
 * memory over `--seconds` (default 300) of ingest at sample rate 0.01 with the evaluator on,
 * and accepted spans lost across a SIGKILL of the ingesting and evaluating process.
 * Usage: npm run bench:otlp-ingest [-- <exports per rate>] [--seconds <soak seconds>]
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
import { startTestServer } from '../test/support/test-server.js';
import { killDuringIngest, soak } from './otlp-soak.js';

const args = process.argv.slice(2);
const secondsAt = args.indexOf('--seconds');
const SOAK_SECONDS = secondsAt === -1 ? 300 : Number(args[secondsAt + 1]);
const EXPORTS = Number(args.find((a, i) => !a.startsWith('--') && i !== secondsAt + 1) ?? 40);
const BATCH = 512;
const IN_FLIGHT = 4;

/** One export of BATCH spans; with `traceId` they all share it (else one random trace each). */
function batch(cardId: string, traceId?: string): Uint8Array {
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

async function measure(rate: number): Promise<{ spansPerSecond: number; p99Ms: number }> {
  const server = await startTestServer({
    ONLINE_EVAL_IN_PROCESS: 'false',
    ONLINE_EVAL_MAX_BACKLOG: '100000000',
    OTLP_MAX_BODY_BYTES: '20000000',
  });
  try {
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Bench',
      prompt_template: 'Hi',
    });
    const cardId = card.body.id as string;
    await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      sample_rate: rate,
      assertions: [{ type: 'contains', value: 'Answer' }],
    });
    // Each export is a fresh batch (new span ids), built before the clock starts.
    const bodies = Array.from({ length: EXPORTS + 4 }, () => batch(cardId));
    const post = async (body: Uint8Array) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/api/v1/traces`, {
        method: 'POST',
        body: Buffer.from(body),
        headers: { 'content-type': 'application/x-protobuf' },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`export answered ${response.status}`);
      return performance.now() - started;
    };
    for (const body of bodies.slice(EXPORTS)) await post(body); // warm-up
    const latencies: number[] = [];
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < EXPORTS) {
          const body = bodies[next++];
          if (body !== undefined) latencies.push(await post(body));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      spansPerSecond: (EXPORTS * BATCH) / seconds,
      p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
    };
  } finally {
    await server.dispose();
  }
}

async function main(): Promise<void> {
  const low = await measure(0.01);
  const high = await measure(1);
  console.log(`| sample rate | spans/s accepted | export p99 ms (${BATCH} spans) |`);
  console.log('| ----------- | ---------------- | ---------------------------- |');
  console.log(`| 0.01        | ${low.spansPerSecond.toFixed(0)} | ${low.p99Ms.toFixed(1)} |`);
  console.log(`| 1.0         | ${high.spansPerSecond.toFixed(0)} | ${high.p99Ms.toFixed(1)} |`);
  console.log(`ratio 1.0 / 0.01: ${(high.spansPerSecond / low.spansPerSecond).toFixed(3)}`);
  const memory = await soak(SOAK_SECONDS, batch, BATCH);
  console.log(
    `RSS over ${SOAK_SECONDS} s of ingest (${memory.spans} spans, sample 0.01, evaluator on): ` +
      `first ${memory.firstMiB.toFixed(0)} MiB, peak ${memory.peakMiB.toFixed(0)} MiB, last ` +
      `${memory.lastMiB.toFixed(0)} MiB, last / first ${(memory.lastMiB / memory.firstMiB).toFixed(3)}`,
  );
  const kill = await killDuringIngest(batch, BATCH);
  console.log(
    `SIGKILL during ingest (sample 1.0): ${kill.acceptedSpans} spans accepted, ` +
      `${kill.lostSpans} lost, ${kill.unjudgedSpans} not judged after restart`,
  );
  if (kill.lostSpans !== 0 || kill.unjudgedSpans !== 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
