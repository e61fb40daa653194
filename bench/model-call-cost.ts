/**
 * CPU per model call of the model-call path alone (ModelClient.chat → OpenAiProvider →
 * requestJson → undici, with the GenAI metrics and secret redaction as the service wires
 * them), beside the bare HTTP floor (undici, the same body, read and parsed), against the
 * loopback OpenAI-wire server in its own process (20 ms per answer) at one concurrency.
 * BENCH_BASELINE_SRC=<another checkout>/src adds the same path built from that source, so a
 * change is compared with its baseline in one process, rounds interleaved (order rotating).
 * The figure is this process's CPU (user + system) per call, median (range) over the rounds.
 *
 *   npx tsx bench/model-call-cost.ts     (BENCH_CALLS, BENCH_CONCURRENCY, BENCH_ROUNDS,
 *                                          BENCH_BASELINE_SRC)
 */
import { setMaxListeners } from 'node:events';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Agent } from 'undici';
import { startWireProcess } from './wire-process.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const LATENCY_MS = 20;

type Call = () => Promise<unknown>;

/** The service's model-call path built from the source folder `src`. */
async function modelPath(src: string, baseUrl: string): Promise<Call> {
  const providers = (await import(
    `${src}/providers/index.ts`
  )) as typeof import('../src/providers/index.js');
  const telemetry = (await import(
    `${src}/telemetry/metrics/index.ts`
  )) as typeof import('../src/telemetry/metrics/index.js');
  const util = (await import(`${src}/util/index.ts`)) as typeof import('../src/util/index.js');
  const http = providers.providerHttp({ timeoutMs: 60_000, maxResponseBytes: 8 * 1024 * 1024 });
  const collector = new telemetry.MetricsCollector(
    new telemetry.Metrics({ defaultMetrics: false }),
  );
  const client = new providers.ModelClient(
    [new providers.OpenAiProvider(baseUrl, 'sk-bench-key-0000000000000000', http)],
    {
      timeoutMs: 60_000,
      maxRetries: 2,
      prices: {},
      embeddingModel: 'openai:embed',
      graderModel: 'openai:alpha',
      onCall: providers.modelCallMetrics(collector),
      redact: util.createRedactor(['sk-bench-key-0000000000000000']),
    },
  );
  const signal = new AbortController().signal;
  setMaxListeners(0, signal);
  return () => client.chat('openai:alpha', [{ role: 'user', content: 'Echo 1' }], signal);
}

async function loop(call: Call): Promise<number> {
  const cpu = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) await call();
    }),
  );
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

async function main(): Promise<void> {
  const wire = await startWireProcess(LATENCY_MS);
  const agent = new Agent({ headersTimeout: 60_000, bodyTimeout: 60_000 });
  const chatUrl = `${wire.url}/v1/chat/completions`;
  const { origin, pathname } = new URL(chatUrl);
  const body = JSON.stringify({ model: 'alpha', messages: [{ role: 'user', content: 'Echo 1' }] });
  const variants: [string, Call][] = [
    [
      'bare undici (Agent.request, read, JSON.parse)',
      async () => {
        const response = await agent.request({
          origin,
          path: pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return response.body.json();
      },
    ],
    ['model-call path (this checkout)', await modelPath(resolve('src'), wire.url)],
  ];
  const baseline = process.env.BENCH_BASELINE_SRC;
  if (baseline !== undefined)
    variants.push(['model-call path (baseline)', await modelPath(resolve(baseline), wire.url)]);
  const results = new Map<string, number[]>();
  try {
    for (const [, call] of variants) await loop(call); // connections and JIT
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < variants.length; i++) {
        const [name, call] = variants[(i + round) % variants.length] ?? variants[0];
        results.set(name, [...(results.get(name) ?? []), await loop(call)]);
      }
    }
  } finally {
    await agent.close();
    await wire.close();
  }
  console.log(
    `${CALLS} calls × ${ROUNDS} rounds at concurrency ${CONCURRENCY}; load ${loadavg()[0]?.toFixed(1)}`,
  );
  for (const [name] of variants) {
    const cpu = results.get(name) ?? [];
    console.log(
      `| ${name} | ${Math.round(median(cpu))} (${Math.round(Math.min(...cpu))}–${Math.round(Math.max(...cpu))}) |`,
    );
  }
  process.exit(0); // the providers' dispatchers keep their idle connections open
}

void main();
