/**
 * What does monitoring cost a request, and what does a scrape cost the event loop?
 *
 * 1. Throughput and p99 of GET /api/prompt-cards with monitoring off, with our middleware, and
 *    with express-prom-bundle instead — server pinned to core 0, autocannon to core 1,
 *    variants interleaved over several rounds; ratios to "off".
 * 2. /api/metrics serialisation with 10,000 and 100,000 series: median time of ours against
 *    prom-client's own `registry.metrics()`, and the longest event-loop stall during a scrape.
 *
 *   npm run bench:http-overhead            (writes its section of bench/README.md)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import client from 'prom-client';
import { Metrics, serialize } from '../src/telemetry/metrics/index.js';
import { startOtlpReceiver } from '../test/support/otlp-receiver.js';
import { machineLine, writeSection } from './bench-report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 3);
const ALL_VARIANTS = [
  'off',
  'ours',
  'prom-bundle',
  'als',
  'mw-0',
  'provider-0',
  'trace-0',
  'trace-0.1',
  'trace-1.0',
];
/** BENCH_VARIANTS=off,trace-0.1 runs a subset ("off" is always needed for the ratios). */
const VARIANTS = process.env.BENCH_VARIANTS?.split(',') ?? ALL_VARIANTS;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function startVariant(variant: string, otlpUrl: string) {
  const child = spawn(
    'taskset',
    ['-c', '0', process.execPath, '--import', 'tsx', 'bench/http-overhead-server.ts'],
    {
      env: { ...process.env, VARIANT: variant, OTLP_URL: otlpUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const pid = child.pid ?? 0; // taskset execs node: the same process
  return {
    url: line.toString().trim(),
    cpuSeconds: () => cpuSeconds(pid),
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** User + system CPU time a process has used so far (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(url: string): Promise<{ rps: number; p99: number; requests: number }> {
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      'node_modules/autocannon/autocannon.js',
      '-c',
      '10',
      '-d',
      String(DURATION_S),
      '--json',
      `${url}/api/prompt-cards`,
    ],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'exit');
  const result = JSON.parse(out) as {
    requests: { average: number; total: number };
    latency: { p99: number };
    non2xx: number;
  };
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

async function httpOverhead(): Promise<string> {
  const receiver = await startOtlpReceiver();
  const samples: Record<string, { rps: number[]; p99: number[]; cpuUs: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round, so no variant always runs first (or right after another).
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const variant of order) {
      const server = await startVariant(variant, receiver.url);
      await load(server.url); // warm-up: JIT, SQLite page cache
      const cpuBefore = server.cpuSeconds();
      const result = await load(server.url);
      const cpuUs = ((server.cpuSeconds() - cpuBefore) * 1e6) / result.requests;
      await server.stop();
      const sample = (samples[variant] ??= { rps: [], p99: [], cpuUs: [] });
      sample.rps.push(result.rps);
      sample.p99.push(result.p99);
      sample.cpuUs.push(cpuUs);
      console.log(round, variant, { ...result, cpuUs: Math.round(cpuUs) });
    }
  }
  await receiver.close();
  // Ratios are paired with the "off" run of the same round: the machine's speed drifts between
  // rounds far more than the differences measured here.
  const rows = VARIANTS.map((variant) => {
    const ratios = (samples[variant]?.rps ?? []).map(
      (rps, round) => rps / (samples.off?.rps[round] ?? rps),
    );
    const ratio = median(ratios);
    const p99 = median(samples[variant]?.p99 ?? []);
    const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
    // CPU time per request of the server, against "off" in the same round: what the variant
    // adds to each request, much steadier than throughput on a machine others also use.
    const cpuRatios = (samples[variant]?.cpuUs ?? []).map(
      (us, round) => us / (samples.off?.cpuUs[round] ?? us),
    );
    const cpuRatio = median(cpuRatios);
    const cpuSpread = `${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)}`;
    return `| ${process.version} | ${variant} | ${Math.round(median(samples[variant]?.rps ?? []))} | ${p99.toFixed(1)} | ${ratio.toFixed(3)} (${spread}) | ${Math.round(median(samples[variant]?.cpuUs ?? []))} | ${cpuRatio.toFixed(3)} (${cpuSpread}) | ${((cpuRatio - 1) * 100).toFixed(1)} % |`;
  });
  return rowsOfAllLines(rows);
}

/**
 * One table for every Node line measured: this line's rows replace its earlier ones in
 * bench/http-overhead-rows.json, and the table lists all lines (run the bench once per line:
 * `npm run bench:http-overhead` and `bash scripts/with-node.sh 24 npm run bench:http-overhead`).
 */
function rowsOfAllLines(rows: readonly string[]): string {
  const file = 'bench/http-overhead-rows.json';
  const byLine = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<
    string,
    string[]
  >;
  byLine[`node${process.versions.node.split('.')[0]}`] = [...rows];
  writeFileSync(file, `${JSON.stringify(byLine, null, 2)}\n`);
  const all = Object.keys(byLine)
    .sort()
    .flatMap((line) => byLine[line] ?? []);
  return `| Node | variant | req/s (median) | p99 ms (median) | throughput ÷ off, same round (median, range) | server CPU µs per request (median) | CPU per request ÷ off, same round (median, range) | cost in CPU |
| --- | --- | --- | --- | --- | --- | --- | --- |
${all.join('\n')}`;
}

/** Longest gap between 1 ms timer ticks while `work` runs: the event-loop stall. */
async function withStall<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  worst = Math.max(worst, performance.now() - last);
  clearInterval(timer);
  return { value, ms, stallMs: worst };
}

async function scrapeCost(series: number): Promise<string> {
  const ours = new Metrics({ defaultMetrics: false });
  const plain = new client.Registry();
  const plainCounter = new client.Counter({
    name: 'test_executions_total',
    help: 'x',
    labelNames: ['status', 'model'],
    registers: [plain],
  });
  for (let i = 0; i < series; i++) {
    ours.testExecutions.inc({ status: 'success', model: `model-${i}` });
    plainCounter.inc({ status: 'success', model: `model-${i}` });
  }
  const runs = series > 20_000 ? 5 : 20;
  const oursRuns: { ms: number; stallMs: number }[] = [];
  const plainRuns: { ms: number; stallMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    oursRuns.push(await withStall(() => serialize(ours.registry, 'prometheus')));
    plainRuns.push(await withStall(() => plain.metrics()));
  }
  const row = (name: string, r: { ms: number; stallMs: number }[]) =>
    `| ${series.toLocaleString('en')} | ${name} | ${median(r.map((x) => x.ms)).toFixed(1)} | ${Math.max(...r.map((x) => x.stallMs)).toFixed(1)} |`;
  return [row('ours', oursRuns), row('prom-client metrics()', plainRuns)].join('\n');
}

async function main(): Promise<void> {
  const scrape = [await scrapeCost(10_000), await scrapeCost(100_000)].join('\n');
  console.log(scrape);
  const http = process.env.BENCH_SKIP_HTTP === '1' ? '(skipped)' : await httpOverhead();
  console.log(http);
  writeSection(
    'http-overhead',
    `## HTTP overhead of monitoring (\`npm run bench:http-overhead\`)

GET /api/prompt-cards (five cards from SQLite) under autocannon (10 connections, ${DURATION_S} s after a
warm-up run), server pinned to core 0 and load generator to core 1, the ${VARIANTS.length} variants
interleaved over ${ROUNDS} rounds (order rotated each round); medians. \`trace-*\` = metrics plus tracing at that sample rate,
exporting OTLP/protobuf to a loopback receiver in the orchestrating process; \`trace-0\` records no
span, so it is the fixed cost of tracing (context manager, server-span middleware, sampler);
\`als\` = metrics plus nothing but each request run inside Node's own \`AsyncLocalStorage.run\`,
no OpenTelemetry: the floor any context-propagating tracer pays on Node 20, where
AsyncLocalStorage turns on V8 promise hooks for every promise of the process. Goals: ours costs at
most 5 %; tracing at most 10 % at 0.1 and 25 % at 1.0 (all against "off"). Throughput is
what the goals name, but on a machine that other work shares it swings far more than these
differences; the server's CPU time per request (utime + stime from /proc over the measured run
÷ requests answered) barely depends on what else runs, so "cost in CPU" is the figure to read
(a CPU cost of c means throughput ÷ off of about 1 / (1 + c) on an idle core). Each Node line
is run separately (\`bash scripts/with-node.sh 24 npm run bench:http-overhead\`) and keeps its
rows in bench/http-overhead-rows.json, so the table holds every line measured.
Machine: ${machineLine()}.

${http}

### Scrape cost

One counter with N label sets; median serialisation time and the longest event-loop stall
(gap between 1 ms timer ticks) over the runs. Goals: 10,000 series under 30 ms median; no
stall over 50 ms at 100,000 series.

| series | serializer | median ms | worst stall ms |
| --- | --- | --- | --- |
${scrape}`,
  );
}

void main();
