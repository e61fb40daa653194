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
 * `--require` of a sampler of `process.memoryUsage()`); BENCH_NO_README=1 only prints the rows.
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
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
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
): Promise<{ base: string; child: ChildProcess; pid: number }> {
  const port = await freePort();
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
      // E.g. `--require <sampler>` to break the RSS down (process.memoryUsage()); unset by default.
      ...(process.env.BENCH_NODE_OPTIONS === undefined
        ? {}
        : { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
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

/** One measured run of the built service in `root`: peak and per-item RSS, and the wall time. */
async function measure(
  label: string,
  root: string,
  database: 'SQLite' | 'PostgreSQL',
  wireUrl: string,
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-memory-'));
  const dbName = `pcs_bench_memory_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let databaseUrl = `sqlite:${join(dir, 'db.sqlite')}`;
  if (database === 'PostgreSQL') {
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  try {
    const cardId = await importCases(root, databaseUrl, wireUrl);
    const { base, child, pid } = await startService(root, databaseUrl, wireUrl);
    try {
      const before = status(pid).rss;
      const started = performance.now();
      const run = await call(base, `/api/prompt-cards/${cardId}/runs`, {
        models: ['openai:alpha'],
        concurrency: CONCURRENCY,
      });
      let peakSampled = before;
      const sampler = setInterval(() => {
        peakSampled = Math.max(peakSampled, status(pid).rss);
      }, 250);
      try {
        for (;;) {
          const now = (await call(base, `/api/runs/${run.id}`)) as unknown as { status: string };
          if (now.status === 'completed') break;
          if (now.status !== 'queued' && now.status !== 'running') throw new Error(now.status);
          await new Promise((r) => setTimeout(r, 1000));
        }
      } finally {
        clearInterval(sampler);
      }
      const wall = (performance.now() - started) / 1000;
      const { hwm, rss } = status(pid);
      const mb = (kb: number) => (kb / 1024).toFixed(0);
      const peak = Math.max(hwm, peakSampled);
      const perItem = (((peak - before) * 1024) / ITEMS).toFixed(0);
      const load = loadavg()[0]?.toFixed(1) ?? '';
      return `| ${label} | ${database} | ${mb(before)} MB | **${mb(peak)} MB** | ${perItem} B | ${mb(rss)} MB | ${wall.toFixed(1)} s | ${load} |`;
    } finally {
      await stop(child);
    }
  } finally {
    if (database === 'PostgreSQL') {
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const wire = await startWire();
  const rows: string[] = [];
  try {
    for (const database of DATABASES) {
      if (BASELINE !== undefined) {
        rows.push(await measure('before (baseline checkout)', BASELINE, database, wire.url));
        process.stdout.write(`${rows.at(-1) ?? ''}\n`);
      }
      rows.push(await measure('this commit', process.cwd(), database, wire.url));
      process.stdout.write(`${rows.at(-1) ?? ''}\n`);
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
item = (peak − before) ÷ items, and at the end; load average (1 min) at the end of each row.
Goal: peak ≤ 250 MB. Load average at the end: ${load}.

| code | database | RSS before | peak RSS | per item | RSS at end | wall | load |
| --- | --- | --- | --- | --- | --- | --- | --- |
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
