/**
 * Fuzz: mutated and truncated protobuf exports (from the SDK's own serializer, a seeded
 * generator so a failure replays) never get a 5xx, and an export refused with 4xx stores
 * nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('OTLP receiver fuzz', () => {
  let server: TestServer;
  let cardId: string;
  let valid: Uint8Array;

  before(async () => {
    server = await startTestServer({ ONLINE_EVAL_IN_PROCESS: 'false' });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'Fuzz',
      prompt_template: 'Hi',
    });
    cardId = card.body.id as string;
    await server.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      assertions: [{ type: 'contains', value: 'x' }],
    });
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    for (let i = 0; i < 3; i++)
      provider
        .getTracer('fuzz')
        .startSpan('chat', {
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.request.model': 'm',
            'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', content: `a${i}` }]),
            'gen_ai.usage.input_tokens': i,
          },
        })
        .end();
    valid = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans()) ?? new Uint8Array();
  });
  after(async () => server.dispose());

  async function total(): Promise<number> {
    const page = await server.request('GET', `/api/prompt-cards/${cardId}/online-evaluations`);
    return page.body.total as number;
  }

  it('never answers 5xx, and a refused export stores nothing', async () => {
    const next = random(26);
    const problems: string[] = [];
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.from(valid);
      const mutations = 1 + Math.floor(next() * 4);
      for (let m = 0; m < mutations; m++)
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      const body = round % 5 === 0 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      const before = await total();
      const response = await fetch(`${server.url}/api/v1/traces`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-protobuf' },
      });
      const text = await response.text();
      if (response.status >= 500) problems.push(`round ${round}: ${response.status} ${text}`);
      else if (response.status !== 200 && (await total()) !== before)
        problems.push(`round ${round}: ${response.status} but stored`);
    }
    assert.deepEqual(problems, []);
  });
});
