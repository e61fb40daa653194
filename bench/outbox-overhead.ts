/**
 * What does the transactional outbox cost a run? The same run (BENCH_CASES test cases,
 * default 1,000, one simulated model, concurrency 50) on two servers in one process, one
 * without an event sink and one with EVENT_SINK set (its relay publishing to an in-memory
 * sink, so only the outbox and relay are measured, not a network). Each result batch then
 * commits in a transaction with its event rows, and lifecycle changes compute the summary
 * inside theirs. Simulated latency 0 ms (bookkeeping only, the worst case) and 20 ms.
 * Rounds alternate between the servers; the median of BENCH_ROUNDS (default 5) is reported,
 * and the figure is the ratio with ÷ without.
 *
 *   npm run bench:outbox-overhead            (writes its section of bench/README.md)
 */
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { silentLogger } from '../src/telemetry/logging/index.js';
import { RecordingSink } from '../test/support/recording-sink.js';
import { request } from '../test/support/test-server.js';
import { tempDir } from '../test/support/temp-dir.js';
import { machineLine, writeSection } from './bench-report.js';

const CASES = Number(process.env.BENCH_CASES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function start(dir: string, latencyMs: number, outbox: boolean): Promise<RunningServer> {
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: `sqlite:${join(dir, `${outbox ? 'outbox' : 'plain'}-${latencyMs}.db`)}`,
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'silent',
    SIMULATED_LATENCY_MS: String(latencyMs),
    SIMULATED_LATENCY_JITTER: '0',
    SIMULATED_FAILURE_RATE: '0',
    RUN_MAX_CONCURRENCY: '64',
    ...(outbox ? { EVENT_SINK: 'redis-stream', REDIS_URL: 'redis://unused:1' } : {}),
  });
  return startServer(config, {
    logger: silentLogger(),
    ...(outbox ? { eventSink: new RecordingSink() } : {}),
  });
}

async function card(url: string): Promise<string> {
  const created = await request(url, 'POST', '/api/prompt-cards', {
    title: 'Bench',
    prompt_template: 'Repeat {{word}}',
  });
  const id = created.body.id as string;
  for (let i = 0; i < CASES; i++)
    await request(url, 'POST', `/api/prompt-cards/${id}/test-cases`, {
      name: `c${i}`,
      input_variables: { word: `w${i}` },
    });
  return id;
}

async function timedRun(server: RunningServer, cardId: string): Promise<number> {
  const started = performance.now();
  const run = await request(server.url, 'POST', `/api/prompt-cards/${cardId}/runs`, {
    models: ['simulated:fast'],
    concurrency: 50,
  });
  const id = run.body.id as string;
  for (;;) {
    const status = (await request(server.url, 'GET', `/api/runs/${id}`)).body.status as string;
    if (status !== 'queued' && status !== 'running') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dir = tempDir('pcs-bench-outbox-');
  const rows: string[] = [];
  try {
    for (const latency of [0, 20]) {
      const plain = await start(dir.path, latency, false);
      const outbox = await start(dir.path, latency, true);
      try {
        const cards = { plain: await card(plain.url), outbox: await card(outbox.url) };
        // One cold run each, not counted.
        await timedRun(plain, cards.plain);
        await timedRun(outbox, cards.outbox);
        const times = { plain: [] as number[], outbox: [] as number[] };
        for (let round = 0; round < ROUNDS; round++) {
          times.plain.push(await timedRun(plain, cards.plain));
          times.outbox.push(await timedRun(outbox, cards.outbox));
        }
        const p = median(times.plain);
        const o = median(times.outbox);
        const events = await outbox.eventRelay?.relay.pending();
        rows.push(
          `| ${latency} ms | ${p.toFixed(0)} ms | ${o.toFixed(0)} ms | ${(o / p).toFixed(2)} | ${events ?? '—'} |`,
        );
        console.log(rows.at(-1));
      } finally {
        await plain.close();
        await outbox.close();
      }
    }
  } finally {
    dir.remove();
  }

  writeSection(
    'outbox-overhead',
    `## Outbox overhead (\`npm run bench:outbox-overhead\`)

  ${machineLine()}; ${CASES} test cases, one simulated model, concurrency 50, median of ${ROUNDS}
  rounds after one cold run, SQLite. "with outbox" writes one event per result plus the lifecycle
  events in the same transactions, relayed to an in-memory sink.

  | simulated latency | without outbox | with outbox | ratio | rows left unsent at the end |
  | ----------------- | -------------- | ----------- | ----- | --------------------------- |
  ${rows.join('\n')}`.replace(/^ +/gm, ''),
  );
}

void main();
