/**
 * How much memory does executing a large run take? One run of BENCH_ITEMS (default 100,000)
 * test cases × one model against the loopback OpenAI-wire server (20 ms, its own process), at
 * concurrency BENCH_CONCURRENCY (default 50), executed by the service (`src/main.ts`, SQLite) in
 * a child process; its RSS is sampled every 250 ms from /proc and its peak (VmHWM) read at the
 * end. The status is polled once a second, as the UI without a WebSocket does. With
 * BENCH_BASELINE=<folder holding another checkout's src/> the same is measured for that code
 * first (e.g. `git archive main | tar -x -C /tmp/base` with node_modules linked), in one run.
 *
 *   npm run bench:run-memory            (writes its section of bench/README.md)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineLine, writeSection } from './bench-report.js';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BASELINE = process.env.BENCH_BASELINE;
const TSX_LOADER = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;

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

/** One measured run of the service in `root`: peak and per-item RSS, and the wall time. */
async function measure(label: string, root: string, wireUrl: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-memory-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(root, 'src/main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'warn',
      OPENAI_BASE_URL: wireUrl,
      OPENAI_API_KEY: 'sk-bench',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
      RATE_LIMIT_WRITES: '0',
      RUN_MAX_CONCURRENCY: '256',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = child.pid ?? 0;
  try {
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
    const card = await call(base, '/api/prompt-cards', {
      title: 'Memory',
      prompt_template: 'Echo {{n}}',
    });
    for (let start = 0; start < ITEMS; start += 10_000)
      await call(
        base,
        `/api/prompt-cards/${card.id}/test-cases/import`,
        Array.from({ length: Math.min(10_000, ITEMS - start) }, (_, i) => ({
          name: `case ${start + i}`,
          input_variables: { n: String(start + i) },
          assertions: [{ type: 'icontains', value: '1' }],
        })),
      );
    const before = status(pid).rss;
    const started = performance.now();
    const run = await call(base, `/api/prompt-cards/${card.id}/runs`, {
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
    const perItem = (((Math.max(hwm, peakSampled) - before) * 1024) / ITEMS).toFixed(0);
    return `| ${label} | ${mb(before)} MB | **${mb(Math.max(hwm, peakSampled))} MB** | ${perItem} B | ${mb(rss)} MB | ${wall.toFixed(1)} s |`;
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const wire = await startWire();
  const rows: string[] = [];
  try {
    if (BASELINE !== undefined) {
      rows.push(await measure('before (baseline checkout)', BASELINE, wire.url));
      process.stdout.write(`${rows.at(-1) ?? ''}\n`);
    }
    rows.push(await measure('this commit', process.cwd(), wire.url));
    process.stdout.write(`${rows.at(-1) ?? ''}\n`);
  } finally {
    wire.child.kill('SIGTERM');
    if (wire.child.exitCode === null) await once(wire.child, 'exit');
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  writeSection(
    'run-memory',
    `## run-memory: memory of the process executing a run of ${ITEMS.toLocaleString('en')} items

\`npm run bench:run-memory\` (\`BENCH_BASELINE=<checkout>\` adds the baseline row). ${machineLine()}.
${ITEMS.toLocaleString('en')} test cases × \`openai:alpha\` on the loopback OpenAI-wire server (20 ms, own
process), concurrency ${CONCURRENCY}, SQLite, executed by \`src/main.ts\` in a child process; status polled
once a second. RSS from /proc: before the run (cards imported), peak (VmHWM, or the highest
250 ms sample), per item = (peak − before) ÷ items, and at the end. Goal: peak ≤ 250 MB. Load
average at the end: ${load}.

| code | RSS before | peak RSS | per item | RSS at end | wall |
| --- | --- | --- | --- | --- | --- |
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
