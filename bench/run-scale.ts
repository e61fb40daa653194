/**
 * How well do runs scale over workers? One API process (accept and enqueue only) and 1, 2 and 4
 * worker processes on PostgreSQL and Redis run 2,000 items against a loopback OpenAI-wire
 * model (its own process) answering in 200 ms, at concurrency 10 per worker. Ideal wall time =
 * 2,000 × 0.2 s ÷ (10 × workers): 40 s, 20 s, 10 s; the figure is ideal ÷ measured (1.0 = no
 * overhead). CPU per item of the API and of the workers comes from their own
 * process_cpu_seconds_total. Also the embedded engine (one process, in-process queue) on SQLite
 * and on PostgreSQL: 1,000 items at concurrency 50 against the model at 20 ms (ideal 0.4 s).
 *
 * Each worker count runs twice, interleaved: workers from the baseline commit (BENCH_BASELINE,
 * default `main`, extracted with `git archive` into a temporary folder) and from this checkout.
 * The API process is this checkout's in both. BENCH_BASELINE=none measures this checkout only.
 *
 *   npm run bench:run-scale            (writes its section of bench/README.md)
 *
 * Trials: BENCH_WRITE=false prints the rows only; BENCH_EMBEDDED=false skips the embedded rows;
 * BENCH_WORKERS=1,4 and BENCH_ITEMS=1000 shorten it; BENCH_CPU_PROF=<folder> has the API and
 * every worker write a V8 CPU profile there when they stop (bench/cpu-profile.ts reads them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startMain } from '../test/support/main-process.js';
import { request } from '../test/support/test-server.js';
import { machineLine, writeSection } from './bench-report.js';
import { startWireProcess } from './wire-process.js';

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ITEMS = Number(process.env.BENCH_ITEMS ?? 2000);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const PER_WORKER = 10;
const CASES = 200;
const BASELINE = process.env.BENCH_BASELINE ?? 'main';
/** A folder: each worker writes a V8 CPU profile there (`node --cpu-prof`) when it stops. */
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
/** `false`: print the rows only, leave bench/README.md as it is (trial and bisection runs). */
const WRITE = process.env.BENCH_WRITE !== 'false';

/** The loopback model server lists these models (test/support/wire-server.ts). */
const MODEL = 'openai:alpha';

/** Node options that make a process write its CPU profile into BENCH_CPU_PROF on exit. */
function profiling(): string[] {
  return CPU_PROF_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`];
}

type Child = ReturnType<typeof startMain> & { baseUrl: string };

/**
 * Every child process this bench started and every clean-up it owes (schemas, Redis keys, temp
 * folders), so that any exit (an error, Ctrl-C, SIGTERM) stops the processes and drops the data.
 */
const children = new Set<{ kill: (signal: NodeJS.Signals) => boolean; exitCode: number | null }>();
const cleanups = new Set<() => Promise<void>>();

async function cleanUp(): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
  cleanups.clear();
}

process.on('exit', () => {
  // Synchronous last resort: no process outlives the bench.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    process.stderr.write(`bench:run-scale: ${signal}, cleaning up\n`);
    void cleanUp().finally(() => process.exit(130));
  });

async function startWire(latencyMs: number) {
  const wire = await startWireProcess(latencyMs);
  children.add(wire.child);
  return {
    url: wire.url,
    close: async () => {
      await wire.close();
      children.delete(wire.child);
    },
  };
}

async function start(
  env: Record<string, string>,
  entry = 'src/main.ts',
  nodeArgs: readonly string[] = [],
): Promise<Child> {
  const child = startMain(
    // A bench writes more than a person would: the write limit is off.
    { LOG_LEVEL: 'warn', HOST: '127.0.0.1', RATE_LIMIT_WRITES: '0', ...env },
    undefined,
    entry,
    nodeArgs,
  );
  children.add(child.child);
  // The worker logs its URL at info; the API too: both need LOG_LEVEL=info to be found.
  return Object.assign(child, { baseUrl: await child.url(60_000) });
}

async function stop(child: Child): Promise<void> {
  if (child.child.exitCode === null) child.child.kill('SIGTERM');
  await child.exited;
  children.delete(child.child);
}

/** The 1-minute load average, reported with each row (2 cores shared with other work). */
function load(): string {
  return loadavg()[0]?.toFixed(2) ?? '—';
}

const ms = (seconds: number) => (seconds * 1000).toFixed(2);

async function cpuSeconds(url: string): Promise<number> {
  const text = (await request(url, 'GET', '/api/metrics')).text;
  return Number(/^process_cpu_seconds_total ([\d.e+-]+)$/m.exec(text)?.[1] ?? NaN);
}

async function card(url: string, cases: number): Promise<string> {
  const created = await request(url, 'POST', '/api/prompt-cards', {
    title: 'bench',
    prompt_template: 'Echo {{n}}',
  });
  const id = created.body.id as string;
  for (let i = 0; i < cases; i++)
    await request(url, 'POST', `/api/prompt-cards/${id}/test-cases`, {
      name: `c${i}`,
      input_variables: { n: String(i) },
    });
  return id;
}

/**
 * Starts a run and returns its wall time in seconds, from the POST to its final status. The
 * status is polled at a quarter of the estimated time left (from the progress so far), between
 * 20 ms and 1 s: each poll costs the API a status read, which would otherwise be most of its
 * CPU per item, and the end is still seen within 20 ms.
 */
async function timeRun(url: string, cardId: string, concurrency: number, repeat: number) {
  const started = performance.now();
  const run = await request(url, 'POST', `/api/prompt-cards/${cardId}/runs`, {
    models: [MODEL],
    concurrency,
    repeat,
  });
  if (run.status !== 202) throw new Error(run.text);
  for (;;) {
    const now = (await request(url, 'GET', `/api/runs/${run.body.id as string}`)).body;
    if (!['queued', 'running'].includes(now.status as string)) {
      if (now.status !== 'completed') throw new Error(`run ${JSON.stringify(now)}`);
      return (performance.now() - started) / 1000;
    }
    const progress = now.progress as { completed: number; total: number } | undefined;
    const elapsed = performance.now() - started;
    const done = progress?.completed ?? 0;
    const left =
      done > 0 && progress !== undefined ? (elapsed / done) * (progress.total - done) : 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(20, Math.min(1000, left / 4))));
  }
}

async function schema(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.query(`create schema ${name}`);
  await client.end();
  return `${POSTGRES_URL}?options=-c%20search_path%3D${name}`;
}

async function dropSchema(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${name} cascade`);
  await client.end();
}

/** Deletes the queue's keys (jobs, semaphores, cached answers) under the bench's prefix. */
async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}

/** The worker entry of each variant: the baseline's (extracted to a temp folder) and ours. */
function variants(): { name: string; entry: string }[] {
  const ours = { name: 'this checkout', entry: 'src/worker.ts' };
  if (BASELINE === 'none') return [ours];
  const commit = execFileSync('git', ['rev-parse', '--short', BASELINE]).toString().trim();
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-baseline-'));
  cleanups.add(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  execFileSync('sh', [
    '-c',
    `git archive ${commit} src package.json tsconfig.json | tar -x -C ${JSON.stringify(dir)}`,
  ]);
  symlinkSync(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
  return [
    { name: `${BASELINE} (${commit})`, entry: relative(process.cwd(), join(dir, 'src/worker.ts')) },
    ours,
  ];
}

async function scaleRows(): Promise<string[]> {
  const wire = await startWire(200);
  const databaseUrl = await schema(`pcs_bench_scale_${process.pid}`);
  const prefix = `pcs-bench-${process.pid}`;
  cleanups.add(() => dropSchema(`pcs_bench_scale_${process.pid}`));
  cleanups.add(() => dropKeys(prefix));
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    RUN_QUEUE: 'redis',
    RUN_QUEUE_PREFIX: prefix,
    OPENAI_BASE_URL: wire.url,
    SEED_SAMPLES: 'false',
    RUN_MAX_CONCURRENCY: '64',
    LOG_LEVEL: 'info',
  };
  const api = await start({ ...env, PORT: '0', RUN_EXECUTION: 'api' }, 'src/main.ts', profiling());
  const rows: string[] = [];
  try {
    const cardId = await card(api.baseUrl, CASES);
    const kinds = variants();
    for (const count of WORKERS)
      for (const kind of kinds) {
        const workers = await Promise.all(
          Array.from({ length: count }, () =>
            start({ ...env, WORKER_PORT: '0', RUN_WORKER_JOBS: '4' }, kind.entry, profiling()),
          ),
        );
        try {
          // Fresh processes: one repetition first, so JIT compilation is not counted per item.
          await timeRun(api.baseUrl, cardId, PER_WORKER * count, 1).catch((error: unknown) => {
            const errors = (p: Child) =>
              p
                .output()
                .stdout.split('\n')
                .filter((l) => l.includes('"level":"error"') || l.includes('"log.level":"error"'));
            console.error([...errors(api), ...workers.flatMap(errors)].join('\n'));
            throw error;
          });
          const apiCpu = await cpuSeconds(api.baseUrl);
          const workerCpu = await Promise.all(workers.map((w) => cpuSeconds(w.baseUrl)));
          const wall = await timeRun(api.baseUrl, cardId, PER_WORKER * count, ITEMS / CASES);
          const apiPerItem = ((await cpuSeconds(api.baseUrl)) - apiCpu) / ITEMS;
          const after = await Promise.all(workers.map((w) => cpuSeconds(w.baseUrl)));
          const workersPerItem = after.reduce((s, v, i) => s + v - (workerCpu[i] ?? 0), 0) / ITEMS;
          const perWorker = after.map((v, i) => ms((v - (workerCpu[i] ?? 0)) / ITEMS)).join(' / ');
          const ideal = (ITEMS * 0.2) / (PER_WORKER * count);
          rows.push(
            `| ${kind.name} | ${count} | ${PER_WORKER * count} | ${ideal.toFixed(1)} s | ${wall.toFixed(1)} s | **${(ideal / wall).toFixed(2)}** | ${ms(apiPerItem)} ms | ${perWorker} ms | ${ms(apiPerItem + workersPerItem)} ms | ${load()} |`,
          );
          process.stdout.write(`${rows.at(-1) ?? ''}\n`);
        } finally {
          await Promise.all(workers.map(stop));
        }
      }
  } finally {
    await stop(api);
    await wire.close();
    await cleanUp();
  }
  return rows;
}

async function embeddedRows(): Promise<string[]> {
  const wire = await startWire(20);
  const rows: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-'));
  cleanups.add(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  cleanups.add(() => dropSchema(`pcs_bench_embedded_${process.pid}`));
  try {
    for (const [name, databaseUrl] of [
      ['SQLite', `sqlite:${join(dir, 'bench.db')}`],
      ['PostgreSQL', await schema(`pcs_bench_embedded_${process.pid}`)],
    ] as const) {
      const api = await start({
        DATABASE_URL: databaseUrl,
        OPENAI_BASE_URL: wire.url,
        SEED_SAMPLES: 'false',
        PORT: '0',
        LOG_LEVEL: 'info',
      });
      try {
        const cardId = await card(api.baseUrl, CASES);
        await timeRun(api.baseUrl, cardId, 50, 1); // warm-up
        const cpu = await cpuSeconds(api.baseUrl);
        const wall = await timeRun(api.baseUrl, cardId, 50, 1000 / CASES);
        const perItem = ((await cpuSeconds(api.baseUrl)) - cpu) / 1000;
        rows.push(
          `| this checkout | embedded, ${name} | 50 | 0.4 s | ${wall.toFixed(2)} s | **${(0.4 / wall).toFixed(2)}** | ${ms(perItem)} ms | — | ${ms(perItem)} ms | ${load()} |`,
        );
        process.stdout.write(`${rows.at(-1) ?? ''}\n`);
      } finally {
        await stop(api);
      }
    }
  } finally {
    await wire.close();
    await cleanUp();
  }
  return rows;
}

async function main(): Promise<void> {
  const scale = await scaleRows();
  const embedded = process.env.BENCH_EMBEDDED === 'false' ? [] : await embeddedRows();
  if (!WRITE) return;
  writeSection(
    'run-scale',
    `## run-scale: runs over 1, 2 and 4 workers

\`npm run bench:run-scale\` (needs PostgreSQL and Redis). ${machineLine()}.

${ITEMS} items (${CASES} test cases × ${ITEMS / CASES} repetitions) against a loopback OpenAI-wire model
(its own process) answering in 200 ms; one API process (\`RUN_EXECUTION=api\`) and N worker
processes (\`RUN_WORKER_JOBS=4\`, jobs of 100 items), run concurrency 10 × N (held across
workers by the Redis semaphore). Ratio = ideal ÷ measured wall time, from the POST to the final
status seen by polling (at a quarter of the estimated time left, 20 ms to 1 s). CPU per item from each process's
\`process_cpu_seconds_total\`. Embedded rows: one process, in-process queue, 1,000 items at
concurrency 50 against the model at 20 ms.

| workers' code | workers | concurrency | ideal | measured | ratio | API CPU / item | each worker's CPU / item | all processes' CPU / item | load avg (1 min) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${[...scale, ...embedded].join('\n')}

Each worker count runs the baseline's workers (\`BENCH_BASELINE\`, here \`${BASELINE}\`) and this
checkout's, interleaved, each in fresh processes after a warm-up run of one repetition (JIT
compilation is not counted per item). Goals: all processes' CPU per item ≤ 2 ms; ≥ 0.9 of
ideal at 1, 2 and 4 workers in a quiet window. The machine has 2 cores shared with other work:
read the load average beside each row (above 2, other processes competed for the cores, which
lengthens wall time and inflates CPU time alike).
`,
  );
}

main().catch(async (error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  await cleanUp();
  process.exit(1);
});
