/**
 * Does one version diff stay cheap on the largest templates a card accepts (100,000 characters)?
 * The real server runs in this process (SQLite); each case stores two versions and requests
 * GET /api/prompt-cards/:id/versions/1/diff/2 over loopback while this process watches
 * - the event-loop delay (perf_hooks.monitorEventLoopDelay, 1 ms resolution; its max is the
 *   longest time the loop was held, by the diff or anything else of the request),
 * - the heap (heapUsed sampled every 2 ms and once after the answer, minus heapUsed after a
 *   forced GC before the request: garbage included, so an upper bound of the growth).
 * Goals: answer within 1 s, heap growth < 50 MB, loop never held > 100 ms; the script exits 1
 * when a case misses one. Baseline in the same run: the former O(n·m) table (kept below for
 * this comparison only) on all-different templates small enough for it, against the current
 * lineDiff on the same input.
 *
 *   npm run bench:version-diff           (writes its section of bench/README.md)
 */
import { cpus, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { lineDiff } from '../src/cards/line-diff.js';
import { startTestServer } from '../test/support/test-server.js';
import { machineLine, writeSection } from './bench-report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LIMITS = { ms: 1000, heapMb: 50, loopMs: 100 };
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:version-diff)');

const lines = (n: number, line: (i: number) => string): string[] =>
  Array.from({ length: n }, (_, i) => line(i));
const cap = (text: string): string => text.slice(0, 100_000);
const unique = (prefix: string): string => cap(lines(20_000, (i) => `${prefix}${i}`).join('\n'));

const CASES: Record<string, [string, string]> = {
  'all lines different': [unique('old '), unique('new ')],
  'same lines, reversed order': [unique('line '), unique('line ').split('\n').reverse().join('\n')],
  'one 100,000-character line': [`${'x'.repeat(99_999)}a`, `${'x'.repeat(99_999)}b`],
  '300 of 10,000 lines changed': [
    cap(lines(10_000, (i) => `line ${i} of the template`).join('\n')),
    cap(lines(10_000, (i) => `line ${i} of the ${i % 33 === 0 ? 'NEW ' : ''}template`).join('\n')),
  ],
};

interface Measure {
  ms: number;
  cpuMs: number;
  loopMs: number;
  heapMb: number;
  exact: boolean;
  rows: number;
}

async function main(): Promise<void> {
  const before = loadavg()[0]?.toFixed(1);
  const server = await startTestServer({ ENABLE_MONITORING: 'false' });
  const rows: string[] = [];
  let missed = false;
  try {
    await warmUp(server);
    for (const [name, [before, after]] of Object.entries(CASES)) {
      const card = await server.request('POST', '/api/prompt-cards', {
        title: name,
        prompt_template: before,
      });
      const id = card.body.id as string;
      await server.request('PUT', `/api/prompt-cards/${id}`, {
        title: name,
        prompt_template: after,
      });
      const runs: Measure[] = [];
      for (let r = 0; r < ROUNDS; r++)
        runs.push(await measure(`${server.url}/api/prompt-cards/${id}/versions/1/diff/2`));
      const worst = (key: 'ms' | 'cpuMs' | 'loopMs' | 'heapMb') =>
        Math.max(...runs.map((m) => m[key]));
      const ok =
        worst('ms') < LIMITS.ms &&
        worst('heapMb') < LIMITS.heapMb &&
        worst('loopMs') < LIMITS.loopMs;
      missed ||= !ok;
      rows.push(
        `| ${name} | ${runs[0]?.rows ?? 0} | ${runs[0]?.exact ?? ''} | ${worst('ms').toFixed(0)} | ${worst('cpuMs').toFixed(0)} | ${worst('loopMs').toFixed(0)} | ${worst('heapMb').toFixed(1)} | ${ok ? 'yes' : 'NO'} |`,
      );
      console.log(rows.at(-1));
    }
  } finally {
    await server.dispose();
  }
  const baseline = compareWithFormer();
  const cores = cpus().length;
  writeSection(
    'version-diff',
    `## Version diff (\`npm run bench:version-diff\`)

GET /api/prompt-cards/:id/versions/1/diff/2 on two templates of the largest accepted size
(100,000 characters), the real server in the benchmark's process on SQLite, ${ROUNDS} requests a
case, worst of them shown. "loop held" = max of perf_hooks.monitorEventLoopDelay (1 ms
resolution) during the request; "heap growth" = highest heapUsed sampled every 2 ms or after the
answer, minus heapUsed after a forced GC before it (garbage included). Goals: < ${LIMITS.ms} ms,
< ${LIMITS.heapMb} MB, < ${LIMITS.loopMs} ms; the script exits 1 when a case misses one. The
alignment stops after 500 changed lines or 40 ms (src/cards/line-diff.ts); "exact = false" is
such a cut, shown as one replaced block. Lines found on one side only are never aligned (they are
edits in any shortest diff), so "all lines different" and edits in place need no alignment; lines
moved around are the costly case. The former O(n·m) table aborted a 512 MB heap on two
73 KB templates. "process CPU ms" (all threads of the process, GC helpers and the client's parsing of the
answer included, so an upper bound of the server's share) does not
grow when other work shares the machine, the wall-clock figures do: the 1-minute load average
was ${before} before and ${loadavg()[0]?.toFixed(1)} after the run, on ${cores} cores.
Machine: ${machineLine()}.

| case | lines in the answer | exact | answer ms | process CPU ms | loop held ms | heap growth MB | within goals |
| ---- | ------------------- | ----- | --------- | -------------- | ------------ | -------------- | ------------ |
${rows.join('\n')}

Baseline in the same run, the diff alone (no HTTP), the same lines in reversed order (the\ncostly case for both), median of 3:

| lines a side | former O(n·m) table ms | lineDiff ms | former ÷ lineDiff |
| ------------ | ---------------------- | ----------- | ----------------- |
${baseline.join('\n')}`,
  );
  if (missed) {
    console.error('a case missed a goal');
    process.exitCode = 1;
  }
}

/** One small diff first, so the first case does not pay for loading and compiling the route. */
async function warmUp(server: Awaited<ReturnType<typeof startTestServer>>): Promise<void> {
  const card = await server.request('POST', '/api/prompt-cards', {
    title: 'warm-up',
    prompt_template: 'a\nb',
  });
  const id = card.body.id as string;
  await server.request('PUT', `/api/prompt-cards/${id}`, {
    title: 'warm-up',
    prompt_template: 'a\nc',
  });
  for (let i = 0; i < 3; i++)
    await server.request('GET', `/api/prompt-cards/${id}/versions/1/diff/2`);
}

async function measure(url: string): Promise<Measure> {
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const res = await fetch(url);
  const body = (await res.json()) as { exact: boolean; lines: unknown[] };
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  loop.disable();
  clearInterval(sampler);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  return {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    loopMs: loop.max / 1e6,
    heapMb: (peak - base) / 1e6,
    exact: body.exact,
    rows: body.lines.length,
  };
}

/** The implementation this replaced: the LCS table of every pair of lines. */
function formerLineDiff(before: string, after: string): number {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] =
        a[i] === b[j]
          ? (lcs[i + 1]?.[j + 1] ?? 0) + 1
          : Math.max(lcs[i + 1]?.[j] ?? 0, lcs[i]?.[j + 1] ?? 0);
  return lcs[0]?.[0] ?? 0;
}

function compareWithFormer(): string[] {
  const median = (f: () => void): number => {
    const times = [0, 1, 2].map(() => {
      const t = performance.now();
      f();
      return performance.now() - t;
    });
    return times.sort((x, y) => x - y)[1] ?? 0;
  };
  return [500, 1000, 2000].map((n) => {
    const a = lines(n, (i) => `line ${i}`).join('\n');
    const b = lines(n, (i) => `line ${n - 1 - i}`).join('\n');
    const former = median(() => formerLineDiff(a, b));
    const current = median(() => lineDiff(a, b));
    return `| ${n} | ${former.toFixed(1)} | ${current.toFixed(1)} | ${(former / current).toFixed(1)} |`;
  });
}

void main();
