/**
 * CPU per model call of the HTTP clients the providers could use, against the loopback
 * OpenAI-wire server in its own process (20 ms per answer), at one concurrency:
 * - `undici request + Agent`: `request(url, { dispatcher: agent })`, the providers' path before;
 * - `undici Agent.request (origin, path)`: the same Agent called directly, no URL parsing;
 * - `undici Pool.request`: a keep-alive Pool for the one origin, pipelining off, no URL parsing;
 * - `node:http + keep-alive Agent`: `http.request` with `keepAlive`, unlimited sockets;
 * - `… + AbortController/timer`: the Pool variant plus what the model client adds per attempt:
 *   an AbortController (its signal given to undici), a setTimeout and a follower of the shared
 *   caller signal.
 * Every call posts the same chat body, reads the answer to its end and parses it as JSON.
 * Variants run in interleaved rounds (the order rotates every round) in one process; the
 * figure is this process's CPU (user + system) per call, the median over the rounds, which is
 * far steadier than wall time on a shared machine.
 *
 *   npx tsx bench/http-client-cost.ts        (BENCH_CALLS, BENCH_CONCURRENCY, BENCH_ROUNDS)
 */
import http from 'node:http';
import { Agent, Pool, request } from 'undici';
import { followAbort } from '../src/providers/abort-fanout.js';
import { machineLine, writeSection } from './bench-report.js';
import { startWireProcess } from './wire-process.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const LATENCY_MS = 20;

const body = JSON.stringify({ model: 'alpha', messages: [{ role: 'user', content: 'Echo 1' }] });
const headers = { accept: 'application/json', 'content-type': 'application/json' };

async function readAll(stream: AsyncIterable<Buffer>): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks, size).toString('utf8')) as unknown;
}

/** The run's signal, shared by every call in flight, as the model client sees it. */
const shared = new AbortController().signal;

/** What the model client adds per attempt: its own controller, timer and abort follower. */
function withTimer(call: (signal: AbortSignal) => Promise<unknown>): Promise<unknown> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), 60_000);
  const unfollow = followAbort(shared, () => controller.abort(shared.reason));
  return call(controller.signal).finally(() => {
    clearTimeout(timer);
    unfollow();
  });
}

async function loop(call: () => Promise<unknown>): Promise<{ cpuUs: number; wall: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < CALLS) await call();
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / CALLS, wall: performance.now() - started };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

async function main(): Promise<void> {
  const wire = await startWireProcess(LATENCY_MS);
  const url = `${wire.url}/v1/chat/completions`;
  const { origin, pathname } = new URL(url);
  const agent = new Agent({ headersTimeout: 60_000, bodyTimeout: 60_000 });
  const pool = new Pool(origin, {
    connections: null,
    pipelining: 1,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const nodeAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const viaPool = (signal?: AbortSignal) =>
    pool
      .request({ path: pathname, method: 'POST', headers, body, ...(signal ? { signal } : {}) })
      .then((r) => readAll(r.body as AsyncIterable<Buffer>));
  const variants: [string, () => Promise<unknown>][] = [
    [
      'undici request + Agent',
      () =>
        request(url, { dispatcher: agent, method: 'POST', headers, body }).then((r) =>
          readAll(r.body as AsyncIterable<Buffer>),
        ),
    ],
    [
      'undici Agent.request (origin, path)',
      () =>
        agent
          .request({ origin, path: pathname, method: 'POST', headers, body })
          .then((r) => readAll(r.body as AsyncIterable<Buffer>)),
    ],
    ['undici Pool.request', () => viaPool()],
    [
      'node:http + keep-alive Agent',
      () =>
        new Promise((resolve, reject) => {
          const req = http.request(url, { method: 'POST', headers, agent: nodeAgent }, (res) => {
            readAll(res).then(resolve, reject);
          });
          req.on('error', reject);
          req.end(body);
        }),
    ],
    ['undici Pool.request + AbortController/timer', () => withTimer((s) => viaPool(s))],
  ];
  const results = new Map<string, { cpuUs: number; wall: number }[]>();
  try {
    for (const [, call] of variants) await loop(call); // opens the connections, warms the JIT
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < variants.length; i++) {
        const [name, call] = variants[(i + round) % variants.length] ?? variants[0];
        const measured = await loop(call);
        results.set(name, [...(results.get(name) ?? []), measured]);
      }
    }
  } finally {
    await Promise.all([agent.close(), pool.close()]);
    nodeAgent.destroy();
    await wire.close();
  }
  const ideal = (CALLS * LATENCY_MS) / CONCURRENCY;
  const rows = variants.map(([name]) => {
    const runs = results.get(name) ?? [];
    const cpu = runs.map((r) => r.cpuUs);
    const row = `| ${name} | ${Math.round(median(cpu))} (${Math.round(Math.min(...cpu))}–${Math.round(Math.max(...cpu))}) | ${(ideal / median(runs.map((r) => r.wall))).toFixed(3)} |`;
    console.log(row);
    return row;
  });
  writeSection(
    'http-client-cost',
    `## HTTP client CPU per model call (\`npx tsx bench/http-client-cost.ts\`)

${CALLS} chat calls per round at concurrency ${CONCURRENCY} against the loopback OpenAI-wire server
(its own process, ${LATENCY_MS} ms per answer); each call posts the same body, reads the answer
and parses it. ${ROUNDS} interleaved rounds per variant (order rotating) after one warm-up round
each; CPU is this process's user + system time per call, median (range). The wall ratio
(ideal ÷ measured) is only a reading on a shared machine. Load average at the end:
${(await import('node:os'))
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(', ')}. Machine: ${machineLine()}.

The providers call their undici Agent with origin and path (the second row); node:http costs
more per call than undici here, so undici stays. The last row is what the model client adds per
attempt on top (its own timer and controller, whose signal undici listens to).

| client | CPU µs per call | wall ratio (median) |
| --- | --- | --- |
${rows.join('\n')}`,
  );
}

void main();
