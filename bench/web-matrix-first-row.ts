/**
 * How soon does a large run's matrix show its first row? One finished run of BENCH_RESULTS
 * (default 10,000) results × `simulated:fast`, opened at `#/runs/<id>` in headless Chromium
 * (Debian `chromium`, playwright-core) against the built UI (`npm run build`). Per round, in a
 * fresh tab: milliseconds from navigation start to the first matrix row in the DOM (the UI reads
 * a first keyset page of 100, asked for beside the run), the result pages asked for by then, the longest main-thread task
 * by then; then "Load all" in the same tab and the milliseconds until every page is read and drawn
 * (what the UI waited for before its first row until it paged). Ratio = first row ÷ all pages,
 * same round. Median of BENCH_ROUNDS (default 5), load average beside each.
 *
 *   npm run bench:web-matrix            (writes its section of bench/README.md)
 *   BENCH_RESULTS=100000 BENCH_ROUNDS=1 npm run bench:web-matrix   (a section of its own)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startMain } from '../test/support/main-process.js';
import { machineLine, writeSection } from './bench-report.js';

const RESULTS = Number(process.env.BENCH_RESULTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PAGE = 500;
const FIRST_PAGE = 100;

interface Round {
  firstRowMs: number;
  pagesAtFirstRow: number;
  /** Milliseconds from navigation start: the run read asked and answered, the first page too. */
  runAsked: number;
  runAnswered: number;
  pageAsked: number;
  pageAnswered: number;
  longestTaskToFirstRowMs: number;
  allPagesMs: number;
  pagesAtEnd: number;
  load1m: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function seed(base: string): Promise<string> {
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  const card = await call('/api/prompt-cards', { title: 'Scale', prompt_template: 'Echo {{n}}' });
  for (let start = 0; start < RESULTS; start += 10_000) {
    const rows = Array.from({ length: Math.min(10_000, RESULTS - start) }, (_, i) => ({
      name: `case ${start + i}`,
      input_variables: { n: String(start + i) },
      assertions: [{ type: 'icontains', value: '1' }],
    }));
    await call(`/api/prompt-cards/${card.id}/test-cases/import`, rows);
  }
  const run = await call(`/api/prompt-cards/${card.id}/runs`, {
    models: ['simulated:fast'],
    concurrency: 256,
  });
  for (;;) {
    const status = (await (await fetch(`${base}/api/runs/${run.id}`)).json()) as {
      status: string;
    };
    if (status.status === 'completed') return run.id;
    if (status.status !== 'queued' && status.status !== 'running')
      throw new Error(`run ${status.status}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (Debian package chromium)`);
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-web-matrix-'));
  const server = startMain({
    PORT: String(await freePort()),
    DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
    SEED_SAMPLES: 'false',
    LOG_LEVEL: 'info',
    SIMULATED_LATENCY_MS: '1',
    SIMULATED_LATENCY_JITTER: '0',
    SIMULATED_FAILURE_RATE: '0',
    OLLAMA_BASE_URL: 'http://127.0.0.1:9',
    RATE_LIMIT_WRITES: '0',
    RUN_MAX_CONCURRENCY: '256',
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
  });
  try {
    const base = await server.url(60_000);
    const runId = await seed(base);
    const pages = 1 + Math.ceil((RESULTS - FIRST_PAGE) / PAGE);
    const rounds: Round[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const tab = await context.newPage();
      tab.setDefaultTimeout(600_000);
      let asked = 0;
      tab.on('request', (r) => {
        if (r.url().includes(`/api/runs/${runId}/results?`)) asked += 1;
      });
      await tab.addInitScript(() => {
        const w = window as unknown as { longTasks: { at: number; ms: number }[] };
        w.longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.longTasks.push({ at: e.startTime, ms: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      await tab.goto(`${base}/#/runs/${runId}`);
      await tab.locator('[data-testid=matrix-row]').first().waitFor();
      const firstRowMs = await tab.evaluate(() => performance.now());
      const pagesAtFirstRow = asked;
      // Where the time to the first row went: the run read and the first results page.
      const timing = await tab.evaluate((id) => {
        const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
        // (No named function here: tsx would wrap it in a helper the page does not have.)
        const run = entries.find((e) => e.name.endsWith(`/api/runs/${id}`));
        const page = entries.find((e) => e.name.includes(`/api/runs/${id}/results?`));
        return {
          runAsked: run?.startTime ?? NaN,
          runAnswered: run?.responseEnd ?? NaN,
          pageAsked: page?.startTime ?? NaN,
          pageAnswered: page?.responseEnd ?? NaN,
        };
      }, runId);
      const longest = await tab.evaluate(
        (until) =>
          Math.max(
            0,
            ...(window as unknown as { longTasks: { at: number; ms: number }[] }).longTasks
              .filter((t) => t.at < until)
              .map((t) => t.ms),
          ),
        firstRowMs,
      );
      await tab.getByRole('button', { name: 'Load all' }).click();
      await tab.waitForFunction(
        (n) =>
          document.querySelector('#results-heading')?.textContent ===
          `Matrix (${n} of ${n} test cases)`,
        RESULTS,
        { timeout: 600_000, polling: 50 },
      );
      const allPagesMs = await tab.evaluate(() => performance.now());
      rounds.push({
        firstRowMs,
        pagesAtFirstRow,
        ...timing,
        longestTaskToFirstRowMs: longest,
        allPagesMs,
        pagesAtEnd: asked,
        load1m: loadavg()[0],
      });
      console.log(`round ${round + 1}: ${JSON.stringify(rounds.at(-1))}`);
      await context.close();
    }
    report(rounds, pages);
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(rounds: Round[], pages: number): void {
  const ms = (v: number) => Math.round(v).toLocaleString('en-US');
  const ratio = rounds.map((r) => r.firstRowMs / r.allPagesMs);
  const rows = rounds.map(
    (r, i) =>
      `| ${i + 1} | ${ms(r.firstRowMs)} | ${r.pagesAtFirstRow} of ${pages} | ${ms(r.runAsked)} → ${ms(r.runAnswered)} | ${ms(r.pageAsked)} → ${ms(r.pageAnswered)} | ${ms(r.longestTaskToFirstRowMs)} | ${ms(r.allPagesMs)} | ${(r.firstRowMs / r.allPagesMs).toFixed(3)} | ${r.load1m.toFixed(1)} |`,
  );
  const body = `
## Web UI: first matrix row of a ${RESULTS.toLocaleString('en-US')}-result run (\`npm run bench:web-matrix\`)

A finished run of ${RESULTS.toLocaleString('en-US')} results × \`simulated:fast\` opened at \`#/runs/<id>\` (matrix view) in
headless Chromium (Debian \`chromium\`, playwright-core) at 1280 × 900, a fresh browser context per
round. "first row" = milliseconds from navigation start to the first matrix row in the DOM; the
UI asks for the run and its first keyset page of ${FIRST_PAGE} results at once and draws the page,
then reads pages of ${PAGE} as the rows drawn reach the end of those held. "all pages" = in the same tab, "Load all" clicked after the
first row, until the heading counts every test case: what the UI read before drawing anything
until it paged (the previous figure: 5,957 ms to the first row, load average 22.5). Ratio = first
row ÷ all pages, same round. Wall time, so it grows with the machine's load (2 cores shared).
The first row waits for the later of the run read and the first page (the page shows once the
run is known to be finished); the run read, \`GET /api/runs/:id\`, reads the run's kept totals
(a few rows however large the run, bench:run-status), so its time no longer grows with the run.
Machine: ${machineLine()}.

| round | first row ms | result pages asked by then | run read asked → answered ms | first page asked → answered ms | longest task before first row ms | all pages ms | ratio | load average (1 min) |
| ----- | ------------ | -------------------------- | ---------------------------- | ------------------------------ | -------------------------------- | ------------ | ----- | -------------------- |
${rows.join('\n')}
| median | ${ms(median(rounds.map((r) => r.firstRowMs)))} | | ${ms(median(rounds.map((r) => r.runAsked)))} → ${ms(median(rounds.map((r) => r.runAnswered)))} | ${ms(median(rounds.map((r) => r.pageAsked)))} → ${ms(median(rounds.map((r) => r.pageAnswered)))} | ${ms(median(rounds.map((r) => r.longestTaskToFirstRowMs)))} | ${ms(median(rounds.map((r) => r.allPagesMs)))} | ${median(ratio).toFixed(3)} | |
`;
  // Each run size keeps its own section (BENCH_RESULTS=100000 beside the default 10,000).
  writeSection(
    RESULTS === 10_000 ? 'web-matrix-first-row' : `web-matrix-first-row-${RESULTS}`,
    body,
  );
  console.log(body);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
