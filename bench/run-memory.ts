/**
 * How much memory does executing a large run take? One run of BENCH_ITEMS (default 100,000)
 * test cases × one model against the loopback OpenAI-wire server (20 ms, its own process), at
 * concurrency BENCH_CONCURRENCY (default 50), on SQLite and on PostgreSQL (a database of its
 * own, dropped after). The service runs as it ships (`node dist/src/main.js`, the Docker
 * image's command; run `npm run build` first) in a child process. The test cases are imported
 * by one such process, which then stops; a fresh one executes the run, so its peak (VmHWM,
 * which covers its whole life) is the executing process's, not the import's. RSS is sampled
 * every 250 ms from /proc; the status is polled once a second, as the UI without a WebSocket
 * does. With BENCH_BASELINE=<folder holding another checkout, built> the same is measured for
 * that code first, in one run. BENCH_DATABASES=SQLite (or PostgreSQL) measures one database;
 * BENCH_NODE_OPTIONS is handed to the service as NODE_OPTIONS (e.g. a V8 heap limit, or
 * `--require` of a sampler of `process.memoryUsage()`); BENCH_VARIANTS=`a|b|…` measures each of
 * these NODE_OPTIONS (`-` = none) one after the other on the same imported cases, repeated
 * BENCH_ROUNDS times (default 1) in alternating order, so variants share one window (the
 * baseline only with the first);
 * BENCH_GC_STATS=1 adds bench/gc-stats.mjs to each (collections by kind, old-space growth,
 * highest heap) and prints its figures; BENCH_NO_README=1 only prints the rows.
 * CPU s = user + system seconds of the executing process from the run's start to its end.
 *
 *   npm run build && npm run bench:run-memory      (writes its section of bench/README.md)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { machineLine, writeSection } from './bench-report.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BASELINE = process.env.BENCH_BASELINE;
/** BENCH_DATABASES=SQLite (or PostgreSQL) measures one; both by default. */
const DATABASES = (['SQLite', 'PostgreSQL'] as const).filter((d) =>
  (process.env.BENCH_DATABASES ?? 'SQLite,PostgreSQL').split(',').includes(d),
);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/** NODE_OPTIONS of each variant; undefined = as shipped (none, or BENCH_NODE_OPTIONS). */
const VARIANTS: (string | undefined)[] =
  process.env.BENCH_VARIANTS === undefined
    ? [process.env.BENCH_NODE_OPTIONS]
    : process.env.BENCH_VARIANTS.split('|').map((v) => (v.trim() === '-' ? undefined : v.trim()));
const GC_STATS = process.env.BENCH_GC_STATS === '1';
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** User + system CPU seconds of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** kB figures of /proc/<pid>/status. */
function status(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function startWire(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/wire-server-process.ts'], {
    env: { ...process.env, WIRE_LATENCY_MS: '20' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: line.toString().trim(), child };
}

async function call(base: string, path: string, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** The built service of `root` in a child process on a free port, once it answers /live. */
async function startService(
  root: string,
  databaseUrl: string,
  wireUrl: string,
  nodeOptions?: string,
  gcStatsOut?: string,
): Promise<{ base: string; child: ChildProcess; pid: number }> {
  const port = await freePort();
  const options = [
    nodeOptions,
    gcStatsOut === undefined ? undefined : `--import ${join(process.cwd(), 'bench/gc-stats.mjs')}`,
  ].filter((o) => o !== undefined);
  const child = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'warn',
      OPENAI_BASE_URL: wireUrl,
      OPENAI_API_KEY: 'sk-bench',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
      RATE_LIMIT_WRITES: '0',
      RUN_MAX_CONCURRENCY: '256',
      // E.g. a V8 flag, or `--require <sampler>` to break the RSS down; unset by default.
      ...(options.length === 0 ? {} : { NODE_OPTIONS: options.join(' ') }),
      ...(gcStatsOut === undefined ? {} : { GC_STATS_OUT: gcStatsOut }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${base}/live`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, child, pid: child.pid ?? 0 };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** Imports ITEMS test cases into a new card with one process; the card's id. */
async function importCases(root: string, databaseUrl: string, wireUrl: string): Promise<string> {
  const service = await startService(root, databaseUrl, wireUrl);
  try {
    const card = await call(service.base, '/api/prompt-cards', {
      title: 'Memory',
      prompt_template: 'Echo {{n}}',
    });
    for (let start = 0; start < ITEMS; start += 10_000)
      await call(
        service.base,
        `/api/prompt-cards/${card.id}/test-cases/import`,
        Array.from({ length: Math.min(10_000, ITEMS - start) }, (_, i) => ({
          name: `case ${start + i}`,
          input_variables: { n: String(start + i) },
          assertions: [{ type: 'icontains', value: '1' }],
        })),
      );
    return card.id;
  } finally {
    await stop(service.child);
  }
}

/** A database of its own (SQLite file or PostgreSQL database) holding ITEMS imported cases. */
interface Prepared {
  databaseUrl: string;
  cardId: string;
  drop: () => Promise<void>;
}

async function prepare(
  root: string,
  database: 'SQLite' | 'PostgreSQL',
  wireUrl: string,
): Promise<Prepared> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-memory-'));
  const dbName = `pcs_bench_memory_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  let databaseUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  if (database === 'PostgreSQL') {
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const drop = async () => {
    if (database === 'PostgreSQL') {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    return { databaseUrl, cardId: await importCases(root, databaseUrl, wireUrl), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** One measured run of the built service in `root`: peak and per-item RSS, CPU and wall time. */
async function measure(
  label: string,
  root: string,
  database: 'SQLite' | 'PostgreSQL',
  prepared: Prepared,
  wireUrl: string,
  nodeOptions: string | undefined,
): Promise<string> {
  const gcStatsOut = GC_STATS
    ? join(tmpdir(), `pcs-bench-gc-${process.pid}-${Date.now()}.json`)
    : undefined;
  const { base, child, pid } = await startService(
    root,
    prepared.databaseUrl,
    wireUrl,
    nodeOptions,
    gcStatsOut,
  );
  let row: string;
  try {
    const before = status(pid).rss;
    const cpuBefore = cpuSeconds(pid);
    const started = performance.now();
    const run = await call(base, `/api/prompt-cards/${prepared.cardId}/runs`, {
      models: ['openai:alpha'],
      concurrency: CONCURRENCY,
    });
    let peakSampled = before;
    const sampler = setInterval(() => {
      peakSampled = Math.max(peakSampled, status(pid).rss);
    }, 250);
    try {
      for (;;) {
        // A 503 (the database pool busy on a loaded machine) is retried, as a client would.
        const now = (await call(base, `/api/runs/${run.id}`).catch((error: unknown) => {
          if (error instanceof Error && / 503 /.test(error.message)) return { status: 'running' };
          throw error;
        })) as unknown as { status: string };
        if (now.status === 'completed') break;
        if (now.status !== 'queued' && now.status !== 'running') throw new Error(now.status);
        await new Promise((r) => setTimeout(r, 1000));
      }
    } finally {
      clearInterval(sampler);
    }
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore;
    const { hwm, rss } = status(pid);
    const mb = (kb: number) => (kb / 1024).toFixed(0);
    const peak = Math.max(hwm, peakSampled);
    const perItem = (((peak - before) * 1024) / ITEMS).toFixed(0);
    const load = loadavg()[0]?.toFixed(1) ?? '';
    const flags = nodeOptions === undefined ? 'none' : `\`${nodeOptions}\``;
    row = `| ${label} | ${database} | ${flags} | ${mb(before)} MB | **${mb(peak)} MB** | ${perItem} B | ${mb(rss)} MB | ${wall.toFixed(1)} s | ${cpu.toFixed(1)} s | ${load} |`;
  } finally {
    await stop(child);
  }
  if (gcStatsOut !== undefined) {
    row += ` ${readFileSync(gcStatsOut, 'utf8')}`;
    rmSync(gcStatsOut, { force: true });
  }
  return row;
}

async function main(): Promise<void> {
  const wire = await startWire();
  const rows: string[] = [];
  try {
    for (const database of DATABASES) {
      const codes = [
        ...(BASELINE === undefined
          ? []
          : [{ label: 'before (baseline checkout)', root: BASELINE }]),
        { label: 'this commit', root: process.cwd() },
      ];
      for (const code of codes) {
        const prepared = await prepare(code.root, database, wire.url);
        try {
          // The baseline is measured as it ships (the first variant) only.
          const variants = code.root === BASELINE ? VARIANTS.slice(0, 1) : VARIANTS;
          for (let round = 0; round < ROUNDS; round++) {
            const order = round % 2 === 0 ? variants : [...variants].reverse();
            for (const nodeOptions of order) {
              const row = await measure(
                code.label,
                code.root,
                database,
                prepared,
                wire.url,
                nodeOptions,
              );
              rows.push(row);
              process.stdout.write(`${row}\n`);
            }
          }
        } finally {
          await prepared.drop();
        }
      }
    }
  } finally {
    wire.child.kill('SIGTERM');
    if (wire.child.exitCode === null) await once(wire.child, 'exit');
  }
  if (process.env.BENCH_NO_README === '1') return;
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  writeSection(
    'run-memory',
    `## run-memory: memory of the process executing a run of ${ITEMS.toLocaleString('en')} items

\`npm run build && npm run bench:run-memory\` (\`BENCH_BASELINE=<built checkout>\` adds baseline rows).
${machineLine()}. ${ITEMS.toLocaleString('en')} test cases × \`openai:alpha\` on the loopback OpenAI-wire
server (20 ms, own process), concurrency ${CONCURRENCY}, executed by the service as it ships
(\`node dist/src/main.js\`) in a child process; the cases are imported by another such process
beforehand, so the executing process starts fresh (RSS before = the idle service). Status polled
once a second. RSS from /proc: before the run, peak (VmHWM, or the highest 250 ms sample), per
item = (peak − before) ÷ items, and at the end; CPU = user + system seconds of the executing
process during the run; NODE_OPTIONS = the V8 flags it was given (none = as shipped); load
average (1 min) at the end of each row.
Goal: peak ≤ 250 MB. Load average at the end: ${load}.

| code | database | NODE_OPTIONS | RSS before | peak RSS | per item | RSS at end | wall | CPU | load |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
