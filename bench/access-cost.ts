/**
 * What do API-key authentication and encryption at rest add? Four builds of the same server
 * (off, api-key, encryption, both) run side by side in this process on SQLite, and are measured
 * in interleaved rounds:
 * 1. GET /api/prompt-cards (20 cards a page; with encryption each template is decrypted):
 *    sequential keep-alive requests, median and p99 latency, ratio to "off".
 * 2. A 1,000-item run (simulated model, no latency, concurrency 50; with encryption every
 *    result's prompt, output and assertion results are encrypted before they are stored):
 *    wall time from the POST to run.finished, ratio to "off".
 *
 *   npm run bench:access-cost            (writes its section of bench/README.md)
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { CardStore } from '../src/cards/index.js';
import { fieldCipher } from '../src/compose/shared.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { startTestServer, type TestServer } from '../test/support/test-server.js';
import { machineLine, writeSection } from './bench-report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const ITEMS = 1000;
const KEY = randomBytes(32).toString('hex');
const VARIANTS = {
  off: {},
  'api-key': { AUTH_MODE: 'api-key' },
  encryption: { METRICS_ENCRYPTION_KEY: KEY },
  'api-key + encryption': { AUTH_MODE: 'api-key', METRICS_ENCRYPTION_KEY: KEY },
} as const;
type Variant = keyof typeof VARIANTS;

interface Subject {
  readonly server: TestServer;
  readonly pool: Pool;
  readonly headers: Record<string, string>;
  readonly runCard: string;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function setUp(variant: Variant): Promise<Subject> {
  const server = await startTestServer({
    ...VARIANTS[variant],
    SIMULATED_LATENCY_MS: '0',
    SIMULATED_FAILURE_RATE: '0',
    ENABLE_MONITORING: 'false',
  });
  const headers: Record<string, string> = {};
  if (variant.includes('api-key')) {
    headers.authorization = `Bearer ${(await server.running.keys.create('bench', 'editor')).key}`;
  }
  const store = new CardStore(
    server.running.database.db,
    fieldCipher(server.config, silentLogger()),
  );
  for (let i = 0; i < 20; i++) {
    await store.createCard({
      title: `card ${i}`,
      description: 'a card for the benchmark',
      prompt_template: `Answer the customer's question {{q}} politely (${i}).`,
      tags: ['bench'],
      pass_rate_threshold: null,
    });
  }
  const runCard = await store.createCard({
    title: 'run',
    description: '',
    prompt_template: 'Echo {{n}}',
    tags: ['bench'],
    pass_rate_threshold: null,
  });
  for (let i = 0; i < ITEMS; i++) {
    await store.createTestCase(runCard.id, {
      name: `case ${i}`,
      input_variables: { n: `customer text number ${i}` },
      expected_output: null,
      assertions: [{ type: 'contains', value: 'Echo' }],
    });
  }
  return { server, pool: new Pool(server.url, { connections: 1 }), headers, runCard: runCard.id };
}

/** CPU µs of this process (server and load generator) since `before`. */
function cpuSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

async function listLatencies(subject: Subject): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const response = await subject.pool.request({
      method: 'GET',
      path: '/api/prompt-cards',
      headers: subject.headers,
    });
    await response.body.text();
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    times.push(performance.now() - started);
  }
  return times;
}

async function timeRun(subject: Subject): Promise<number> {
  const started = performance.now();
  const response = await subject.pool.request({
    method: 'POST',
    path: `/api/prompt-cards/${subject.runCard}/runs`,
    headers: { ...subject.headers, 'content-type': 'application/json' },
    body: JSON.stringify({ models: ['simulated:fast'], concurrency: 50 }),
  });
  const run = (await response.body.json()) as { id: string };
  await new Promise<void>((resolve) => {
    const stop = subject.server.running.events.subscribe((event) => {
      if (event.type === 'run.finished' && event.run_id === run.id) {
        stop();
        resolve();
      }
    });
  });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const names = Object.keys(VARIANTS) as Variant[];
  const subjects = new Map<Variant, Subject>();
  for (const name of names) subjects.set(name, await setUp(name));
  const latencies = new Map<Variant, number[]>(names.map((n) => [n, []]));
  const runs = new Map<Variant, number[]>(names.map((n) => [n, []]));
  /** CPU µs per request and per run item, one value per round. */
  const listCpu = new Map<Variant, number[]>(names.map((n) => [n, []]));
  const runCpu = new Map<Variant, number[]>(names.map((n) => [n, []]));
  try {
    for (const subject of subjects.values()) await listLatencies(subject); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of round % 2 === 0 ? names : [...names].reverse()) {
        const subject = subjects.get(name) as Subject;
        let cpu = process.cpuUsage();
        latencies.get(name)?.push(...(await listLatencies(subject)));
        listCpu.get(name)?.push(cpuSince(cpu) / REQUESTS);
        cpu = process.cpuUsage();
        runs.get(name)?.push(await timeRun(subject));
        runCpu.get(name)?.push(cpuSince(cpu) / ITEMS);
      }
    }
  } finally {
    for (const subject of subjects.values()) {
      await subject.pool.close();
      await subject.server.dispose();
    }
  }
  const offList = quantile(latencies.get('off') ?? [], 0.5);
  const offRun = quantile(runs.get('off') ?? [], 0.5);
  const offListCpu = quantile(listCpu.get('off') ?? [], 0.5);
  const offRunCpu = quantile(runCpu.get('off') ?? [], 0.5);
  const rows = names.map((name) => {
    const list = latencies.get(name) ?? [];
    const median = quantile(list, 0.5);
    const run = runs.get(name) ?? [];
    const runMedian = quantile(run, 0.5);
    const lc = quantile(listCpu.get(name) ?? [], 0.5);
    const rc = quantile(runCpu.get(name) ?? [], 0.5);
    return `| ${name} | ${(median * 1000).toFixed(0)} | ${(quantile(list, 0.99) * 1000).toFixed(0)} | ${(median / offList).toFixed(3)} | ${lc.toFixed(0)} | ${(lc / offListCpu).toFixed(3)} | ${runMedian.toFixed(0)} (${Math.min(...run).toFixed(0)}–${Math.max(...run).toFixed(0)}) | ${(runMedian / offRun).toFixed(3)} | ${rc.toFixed(0)} | ${(rc / offRunCpu).toFixed(3)} |`;
  });
  const body = `
## Cost of API-key authentication and encryption at rest (\`npm run bench:access-cost\`)

Four builds of the server side by side in one process (SQLite, monitoring off), interleaved
over ${ROUNDS} rounds. \`GET /api/prompt-cards\`: ${REQUESTS} sequential keep-alive requests per
round (20 cards a page; encryption decrypts each template), median and p99. Run: ${ITEMS}
items on the simulated model with no latency, concurrency 50, from the POST to \`run.finished\`
(encryption encrypts each result's prompt, output and assertion results before storing it).
Ratios are to "off" (1.000 = no added cost). CPU is this process's (server and load generator
together, the same generator for every build), median per round: steadier than wall time on a
machine whose two cores are shared with other work, where wall-time differences under about
10 % (runs: 30 %) are noise.
Machine: ${machineLine()}.

| build | list median µs | list p99 µs | list ratio | list CPU µs/request | CPU ratio | 1,000-item run ms (range) | run ratio | run CPU µs/item | CPU ratio |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
  writeSection('access-cost', body);
  process.stdout.write(body);
}

void main();
