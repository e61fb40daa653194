/**
 * Where does tracing's cost go, function by function? Each variant of bench/http-overhead's
 * server runs with V8's CPU profiler on while autocannon loads GET /api/prompt-cards; the
 * profiles are summed per area (our code, Express, OpenTelemetry, Node core, GC) and per
 * function, and each variant is compared with "off": the functions whose share of CPU time
 * grew most are the cost. CPU shares are steadier than throughput on a shared machine.
 *
 *   npm run bench:tracing-profile              (variants: off, trace-0, trace-0.1, trace-1.0)
 *   bash scripts/with-node.sh 24 npm run bench:tracing-profile
 *
 * Writes its section of bench/README.md, one per Node major line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startOtlpReceiver } from '../test/support/otlp-receiver.js';
import { tempDir } from '../test/support/temp-dir.js';
import { machineLine, writeSection } from './bench-report.js';
import { summarizeProfile, type ProfileSummary } from './cpu-profile.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const VARIANTS = process.env.BENCH_VARIANTS?.split(',') ?? [
  'off',
  'trace-0',
  'trace-0.1',
  'trace-1.0',
];
const TOP = 12;

async function profileVariant(
  variant: string,
  otlpUrl: string,
): Promise<ProfileSummary & { rps: number }> {
  const dir = tempDir('pcs-prof-');
  const file = join(dir.path, 'server.cpuprofile');
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/http-overhead-server.ts'], {
    env: { ...process.env, VARIANT: variant, OTLP_URL: otlpUrl, CPU_PROFILE: file },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(server.stdout, 'data')) as [Buffer];
  const url = line.toString().trim();
  await load(url); // warm-up (JIT, SQLite page cache), not profiled
  server.kill('SIGUSR2');
  const rps = await load(url);
  server.kill('SIGTERM');
  await once(server, 'exit');
  if (!existsSync(file)) throw new Error(`no profile written for ${variant}`);
  const summary = summarizeProfile(file);
  dir.remove();
  return { ...summary, rps };
}

async function load(url: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [
      'node_modules/autocannon/autocannon.js',
      '-c',
      '10',
      '-d',
      String(DURATION_S),
      '--json',
      `${url}/api/prompt-cards`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await once(child, 'exit');
  const result = JSON.parse(out) as { requests: { average: number }; non2xx: number };
  if (result.non2xx > 0) throw new Error(`${result.non2xx} non-2xx answers`);
  return result.requests.average;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

async function main(): Promise<void> {
  const receiver = await startOtlpReceiver();
  const results: Record<string, ProfileSummary & { rps: number }> = {};
  for (const variant of VARIANTS) {
    results[variant] = await profileVariant(variant, receiver.url);
    console.log(variant, Math.round(results[variant].rps), 'req/s under the profiler');
  }
  await receiver.close();
  const off = results.off;
  const areas = [...new Set(Object.values(results).flatMap((r) => Object.keys(r.areas)))]
    .filter((a) => Object.values(results).some((r) => (r.areas[a] ?? 0) >= 0.005))
    .sort(
      (a, b) =>
        (results[VARIANTS.at(-1) ?? 'off']?.areas[b] ?? 0) -
        (results[VARIANTS.at(-1) ?? 'off']?.areas[a] ?? 0),
    );
  const areaTable = [
    `| area (self time) | ${VARIANTS.join(' | ')} |`,
    `| --- | ${VARIANTS.map(() => '---').join(' | ')} |`,
    ...areas.map(
      (a) => `| ${a} | ${VARIANTS.map((v) => pct(results[v]?.areas[a] ?? 0)).join(' | ')} |`,
    ),
    `| req/s under the profiler | ${VARIANTS.map((v) => Math.round(results[v]?.rps ?? 0)).join(' | ')} |`,
  ].join('\n');
  const growth = VARIANTS.filter((v) => v !== 'off').map((variant) => {
    const mine = results[variant];
    if (mine === undefined || off === undefined) return '';
    const base = new Map(off.functions.map((f) => [f.key, f]));
    const rows = [...mine.functions]
      .map((f) => ({ ...f, grew: f.self - (base.get(f.key)?.self ?? 0) }))
      .sort((a, b) => b.grew - a.grew)
      .slice(0, TOP)
      .map(
        (f) =>
          `| \`${f.key}\` | ${f.area} | ${pct(f.inclusive)} | ${pct(f.self)} | +${pct(f.grew)} |`,
      );
    return `#### ${variant}: functions whose self time grew most against off

| function | area | inclusive | self | self − off |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`;
  });
  const body = `### Where tracing's cost goes on Node ${process.versions.node.split('.')[0]} (\`npm run bench:tracing-profile\`)

GET /api/prompt-cards under autocannon (10 connections, ${DURATION_S} s) after a warm-up run, with V8's CPU profiler on in the server for the measured run only; shares of the server's sampled CPU time. Machine: ${machineLine()}.

${areaTable}

${growth.join('\n\n')}`;
  console.log(body);
  writeSection(`tracing-profile-node${process.versions.node.split('.')[0]}`, body);
}

void main();
