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
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { join } from 'node:path';
import client from 'prom-client';
import { Metrics, serialize } from '../src/telemetry/metrics/index.js';
import { startOtlpReceiver } from '../test/support/otlp-receiver.js';
import { machineLine, writeSection } from './bench-report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Requests per measurement (fixed counts, not time windows: each round does the same work). */
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 6000);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 3000);
const ALL_VARIANTS = [
  'off',
  'ours',
  'trace-0',
  'trace-0.1',
  'trace-1.0',
  'sdk-0',
  'sdk-0.1',
  'bare',
  'bare-sdk-0',
  'bare-sdk-0.1',
];
/**
 * BENCH_VARIANTS=off,trace-0.1 runs a subset ("off" is always needed for the ratios); also
 * available: prom-bundle, als, mw-0, provider-0 (see http-overhead-server.ts).
 */
const VARIANTS = process.env.BENCH_VARIANTS?.split(',') ?? ALL_VARIANTS;
/** What each variant's added CPU per request is measured against (same round). */
function referenceOf(variant: string): string {
  if (variant.startsWith('bare')) return 'bare';
  if (variant.startsWith('trace-') || variant.startsWith('sdk-')) return 'ours';
  return 'off';
}
/** OpenTelemetry's standard NodeSDK and HttpInstrumentation, at the project's OTel line. */
const OTEL_REFERENCE = [
  '@opentelemetry/sdk-node@0.223.0',
  '@opentelemetry/instrumentation-http@0.223.0',
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Every server process started, stopped on any exit of the bench (an error, Ctrl-C, SIGTERM). */
const running = new Set<{ kill: (signal: NodeJS.Signals) => boolean; exitCode: number | null }>();
process.on('exit', () => {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.once(signal, () => {
    for (const child of running) if (child.exitCode === null) child.kill('SIGTERM');
    process.exit(130);
  });

/**
 * The folder holding OpenTelemetry's standard NodeSDK + HttpInstrumentation (OTEL_REFERENCE), not
 * dependencies of the project: installed from the npm registry once into a cache folder
 * (PCS_OTEL_REFERENCE, default ~/.cache/prompt-card-system/otel-reference).
 */
function referenceDir(): string {
  const dir =
    process.env.PCS_OTEL_REFERENCE ?? join(homedir(), '.cache/prompt-card-system/otel-reference');
  if (!existsSync(join(dir, 'node_modules/@opentelemetry/sdk-node'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', ...OTEL_REFERENCE],
      { stdio: 'inherit' },
    );
  }
  return dir;
}

async function startVariant(variant: string, otlpUrl: string) {
  const child = spawn(
    'taskset',
    ['-c', '0', process.execPath, '--import', 'tsx', 'bench/http-overhead-server.ts'],
    {
      env: {
        ...process.env,
        VARIANT: variant,
        OTLP_URL: otlpUrl,
        OTEL_REFERENCE_DIR: referenceDir(),
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  running.add(child);
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const pid = child.pid ?? 0; // taskset execs node: the same process
  return {
    url: line.toString().trim(),
    cpuSeconds: () => cpuSeconds(pid),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      running.delete(child);
    },
  };
}

/** User + system CPU time a process has used so far (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function load(
  url: string,
  amount: number,
): Promise<{ rps: number; p99: number; requests: number }> {
  const child = spawn(
    'taskset',
    [
      '-c',
      '1',
      process.execPath,
      'node_modules/autocannon/autocannon.js',
      '-c',
      '10',
      '-a',
      String(amount),
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
    requests: { total: number };
    /** Seconds from the first request to the last answer. */
    duration: number;
    latency: { p99: number };
    non2xx: number;
  };
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
  return {
    rps: result.requests.total / result.duration,
    p99: result.latency.p99,
    requests: result.requests.total,
  };
}

/**
 * Every variant's server runs for the whole bench (each pinned to core 0, idle while another is
 * measured) and is warmed up once; then ROUNDS rounds, each measuring every variant with the
 * same fixed number of requests, in an order rotated each round. Figures are medians over the
 * rounds; added CPU is paired with the reference variant of the same round.
 */
async function httpOverhead(): Promise<{ table: string; fixedCost: string }> {
  const receiver = await startOtlpReceiver();
  const samples: Record<string, { rps: number[]; p99: number[]; cpuUs: number[] }> = {};
  const servers = new Map<string, Awaited<ReturnType<typeof startVariant>>>();
  try {
    for (const variant of VARIANTS) {
      const server = await startVariant(variant, receiver.url);
      servers.set(variant, server);
      await load(server.url, WARM_UP); // JIT, SQLite page cache
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round, so no variant always runs first (or right after another).
      const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] ?? 'off');
      for (const variant of order) {
        const server = servers.get(variant);
        if (server === undefined) continue;
        const cpuBefore = server.cpuSeconds();
        const result = await load(server.url, REQUESTS);
        const cpuUs = ((server.cpuSeconds() - cpuBefore) * 1e6) / result.requests;
        const sample = (samples[variant] ??= { rps: [], p99: [], cpuUs: [] });
        sample.rps.push(result.rps);
        sample.p99.push(result.p99);
        sample.cpuUs.push(cpuUs);
        console.log(round, variant, { ...result, cpuUs: Math.round(cpuUs), load: loadavg()[0] });
      }
    }
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()));
    await receiver.close();
  }
  const added = (variant: string): number[] => {
    const reference = samples[referenceOf(variant)]?.cpuUs ?? [];
    return (samples[variant]?.cpuUs ?? []).map((us, round) => us - (reference[round] ?? us));
  };
  const range = (values: readonly number[], digits = 2) =>
    `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  const rows = VARIANTS.map((variant) => {
    const ratios = (samples[variant]?.rps ?? []).map(
      (rps, round) => rps / (samples.off?.rps[round] ?? rps),
    );
    const p99 = median(samples[variant]?.p99 ?? []);
    const cpuRatios = (samples[variant]?.cpuUs ?? []).map(
      (us, round) => us / (samples.off?.cpuUs[round] ?? us),
    );
    const cpuRatio = median(cpuRatios);
    const extra = added(variant);
    return `| ${process.version} | ${variant} | ${Math.round(median(samples[variant]?.rps ?? []))} | ${p99.toFixed(1)} | ${median(ratios).toFixed(3)} (${range(ratios)}) | ${Math.round(median(samples[variant]?.cpuUs ?? []))} | ${referenceOf(variant)} | ${median(extra).toFixed(1)} (${range(extra, 0)}) | ${((cpuRatio - 1) * 100).toFixed(1)} % |`;
  });
  // Tracing's fixed cost against the standard SDK's: ours (trace-r − ours) beside the standard
  // SDK on the same app (sdk-r − ours) and on a bare Express app (bare-sdk-r − bare).
  const fixed = ['0', '0.1']
    .filter((rate) => samples[`trace-${rate}`] !== undefined)
    .map((rate) => {
      const ours = added(`trace-${rate}`);
      const cell = (variant: string) => {
        const extra = added(variant);
        if (extra.length === 0) return '— | —';
        const gap = ours.map((us, round) => us - (extra[round] ?? us));
        return `${median(extra).toFixed(1)} | ${median(gap).toFixed(1)} (${range(gap, 0)})`;
      };
      return `| ${process.version} | ${rate} | ${median(ours).toFixed(1)} | ${cell(`sdk-${rate}`)} | ${cell(`bare-sdk-${rate}`)} |`;
    });
  return { table: rowsOfAllLines('http', rows), fixedCost: rowsOfAllLines('fixed', fixed) };
}

/**
 * One table for every Node line measured: this line's rows replace its earlier ones in
 * bench/http-overhead-rows.json, and the table lists all lines (run the bench once per line:
 * `npm run bench:http-overhead` and `bash scripts/with-node.sh 24 npm run bench:http-overhead`).
 */
function rowsOfAllLines(table: 'http' | 'fixed', rows: readonly string[]): string {
  const file = 'bench/http-overhead-rows.json';
  const stored = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<
    string,
    string[] | Record<string, string[]>
  >;
  // Rows stored before the fixed-cost table existed are of another bench's shape: dropped.
  const byLine = Object.fromEntries(
    Object.entries(stored).filter(([, value]) => !Array.isArray(value)),
  ) as Record<string, Record<string, string[]>>;
  const line = `node${process.versions.node.split('.')[0]}`;
  byLine[line] = { ...byLine[line], [table]: [...rows] };
  writeFileSync(file, `${JSON.stringify(byLine, null, 2)}\n`);
  const all = Object.keys(byLine)
    .sort()
    .flatMap((key) => byLine[key]?.[table] ?? []);
  return table === 'http'
    ? `| Node | variant | req/s (median) | p99 ms (median) | throughput ÷ off, same round (median, range) | server CPU µs per request (median) | against | added CPU µs per request, same round (median, range) | CPU per request ÷ off − 1 |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${all.join('\n')}`
    : `| Node | sample rate | ours: trace − ours, µs | standard SDK on this app: sdk − ours, µs | ours − it, same round (median, range) | standard SDK on bare Express: bare-sdk − bare, µs | ours − it, same round (median, range) |
| --- | --- | --- | --- | --- | --- | --- |
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
  const http =
    process.env.BENCH_SKIP_HTTP === '1'
      ? { table: '(skipped)', fixedCost: '(skipped)' }
      : await httpOverhead();
  console.log(http.table);
  console.log(http.fixedCost);
  writeSection(
    'http-overhead',
    `## HTTP overhead of monitoring (\`npm run bench:http-overhead\`)

GET /api/prompt-cards (five cards from SQLite) under autocannon (10 connections), server pinned
to core 0 and load generator to core 1. Every variant's server is started once and warmed up
with ${WARM_UP} requests; then ${ROUNDS} rounds, each sending every variant the same fixed
${REQUESTS} requests, in an order rotated each round; medians over the rounds (fixed request
counts and interleaving replace time windows, which swung by tens of per cent on this shared
machine). Variants: \`off\` = monitoring off; \`ours\` = our metrics; \`trace-r\` = metrics plus our
tracing at sample rate r, exporting OTLP/protobuf to a loopback receiver in the orchestrating
process; \`sdk-r\` = metrics plus OpenTelemetry's standard NodeSDK + HttpInstrumentation
(0.223.0, from the npm registry, not a dependency of the project) at rate r instead of our
tracing; \`bare\` = an Express app answering the same route with a fixed body (no database, no
monitoring), \`bare-sdk-r\` = that app under the standard NodeSDK. The figure to read is the
server's CPU time per request (utime + stime from /proc over the measured requests ÷ requests):
it barely depends on what else runs, where throughput swings with the machine's load. "Added
CPU" is paired with the variant named in "against", in the same round. Goals: ours costs at
most 5 % over off; an untraced request (rate 0, and the unsampled nine in ten at 0.1) costs
within 10 µs of what the standard SDK costs. Each Node line is run separately (\`bash
scripts/with-node.sh 24 npm run bench:http-overhead\`) and keeps its rows in
bench/http-overhead-rows.json, so the tables hold every line measured.
Machine: ${machineLine()}, load average (1 min) ${loadavg()[0]?.toFixed(2) ?? '—'} at the end.

${http.table}

### Tracing's fixed cost against the standard SDK

Added CPU µs per request at each sample rate (medians of the same-round differences above).

${http.fixedCost}

### Scrape cost

One counter with N label sets; median serialisation time and the longest event-loop stall
(gap between 1 ms timer ticks) over the runs. Goals: 10,000 series under 30 ms median; no
stall over 50 ms at 100,000 series.

| series | serializer | median ms | worst stall ms |
| --- | --- | --- | --- |
${scrape}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
