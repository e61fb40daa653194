/**
 * `prompt-cards eval` against `promptfoo eval` on the same suite: 1,000 tests, one prompt, one
 * `openai:chat:` provider whose apiBaseUrl is a loopback OpenAI-wire server answering in 20 ms
 * (in its own process), concurrency 50. Whole commands are timed, start-up included, as CI
 * runs them; each command's peak RSS comes from GNU time (`/usr/bin/time -f %M`). The two
 * tools alternate within each of BENCH_ROUNDS rounds (default 3), so drift on a shared
 * machine hits both; the median is reported. Ideal wall time: 1,000 × 20 ms ÷ 50 = 0.4 s.
 *
 * promptfoo 0.121.x (the last line that runs on Node 20) is installed from the npm registry
 * into a temporary folder (PROMPTFOO_DIR reuses one).
 *
 *   npm run bench:vs-promptfoo            (writes its section of bench/README.md)
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machineLine, writeSection } from './bench-report.js';
import { startWireProcess } from './wire-process.js';

const TESTS = Number(process.env.BENCH_CASES ?? 1000);
const CONCURRENCY = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROMPTFOO_VERSION = '0.121';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function installPromptfoo(): string {
  const dir =
    process.env.PROMPTFOO_DIR ?? join(tmpdir(), `pcs-bench-promptfoo-${PROMPTFOO_VERSION}`);
  const bin = join(dir, 'node_modules/promptfoo/dist/src/entrypoint.js');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    process.stderr.write(`installing promptfoo@${PROMPTFOO_VERSION} into ${dir}…\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `promptfoo@${PROMPTFOO_VERSION}`], {
      cwd: dir,
      stdio: 'inherit',
    });
  }
  return bin;
}

/** One suite file both tools read as it is. */
function writeSuite(dir: string, url: string, count = TESTS, name = 'suite.yaml'): string {
  const tests = Array.from(
    { length: count },
    (_, i) =>
      `  - vars: { n: "${i}" }\n    assert:\n      - type: contains\n        value: "item ${i}"`,
  ).join('\n');
  const path = join(dir, name);
  writeFileSync(
    path,
    `description: bench\nprompts:\n  - 'Repeat: item {{n}}'\nproviders:\n  - id: openai:chat:bench\n    config:\n      apiBaseUrl: ${url}/v1\nevaluateOptions:\n  maxConcurrency: ${CONCURRENCY}\ntests:\n${tests}\n`,
  );
  return path;
}

interface Measure {
  readonly seconds: number;
  readonly rssMb: number;
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  readonly code: number | null;
}

/** Runs a command under GNU time; wall seconds from here, peak RSS from time's %M (KiB). */
async function measure(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Measure> {
  const rssFile = join(cwd, 'rss.txt');
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  const [rss = 0, user = 0, system = 0] = (
    readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? ''
  )
    .split(' ')
    .map(Number);
  const rssMb = rss / 1024;
  const cpuSeconds = user + system;
  if (code !== 0)
    process.stderr.write(`${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}\n`);
  return { seconds, rssMb, cpuSeconds, code };
}

async function main(): Promise<void> {
  const promptfoo = installPromptfoo();
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs', '--cli-only'], {
    stdio: 'inherit',
  });
  // The command as users run it: the bin, which runs the bundled CLI.
  const ours = resolve('bin/prompt-cards.mjs');
  const wire = await startWireProcess(20);
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-vs-'));
  const suite = writeSuite(dir, wire.url);
  // Start-up alone: the same suite with one test.
  const single = writeSuite(dir, wire.url, 1, 'single.yaml');
  const env = {
    ...process.env,
    CI: 'true',
    OPENAI_API_KEY: 'bench-key',
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_CONFIG_DIR: join(dir, 'promptfoo-home'),
    LOG_LEVEL: 'warn',
  };
  const commandsFor = (file: string) => ({
    promptfoo: [
      process.execPath,
      promptfoo,
      'eval',
      '-c',
      file,
      '-j',
      String(CONCURRENCY),
      '--no-cache',
      '--no-write',
      '--no-table',
      '--no-progress-bar',
    ],
    'prompt-cards': [process.execPath, ours, 'eval', '-c', file, '-j', String(CONCURRENCY)],
  });
  const commands = commandsFor(suite);
  const singleCommands = commandsFor(single);
  const results: Record<keyof typeof commands, Measure[]> = { promptfoo: [], 'prompt-cards': [] };
  const singles: Record<keyof typeof commands, Measure[]> = { promptfoo: [], 'prompt-cards': [] };
  try {
    // As in CI after the first run of an installed version: V8's code cache of the bundle
    // (bin/run-bundle.mjs) is written by one run and read by the next.
    await measure(singleCommands['prompt-cards'], dir, env);
    for (let round = 0; round < ROUNDS; round++) {
      const order: (keyof typeof commands)[] =
        round % 2 === 0 ? ['promptfoo', 'prompt-cards'] : ['prompt-cards', 'promptfoo'];
      for (const tool of order) {
        const m = await measure(commands[tool], dir, env);
        results[tool].push(m);
        process.stderr.write(
          `round ${round + 1} ${tool}: ${m.seconds.toFixed(2)} s, ${m.cpuSeconds.toFixed(2)} s CPU, ${m.rssMb.toFixed(0)} MB, exit ${m.code}\n`,
        );
        const one = await measure(singleCommands[tool], dir, env);
        singles[tool].push(one);
        process.stderr.write(
          `round ${round + 1} ${tool}, 1 test: ${one.seconds.toFixed(2)} s, ${one.cpuSeconds.toFixed(2)} s CPU, exit ${one.code}\n`,
        );
      }
    }
  } finally {
    await wire.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (tool: keyof typeof commands, of = results) => {
    const ms = of[tool];
    const s = ms.map((m) => m.seconds);
    return `| ${tool} | ${median(s).toFixed(2)} | ${Math.min(...s).toFixed(2)}–${Math.max(...s).toFixed(2)} | ${median(ms.map((m) => m.cpuSeconds)).toFixed(2)} | ${median(ms.map((m) => m.rssMb)).toFixed(0)} | ${ms.map((m) => m.code).join(', ')} |`;
  };
  const ratio =
    median(results['prompt-cards'].map((m) => m.seconds)) /
    median(results.promptfoo.map((m) => m.seconds));
  const rss =
    median(results['prompt-cards'].map((m) => m.rssMb)) /
    median(results.promptfoo.map((m) => m.rssMb));
  const cpu =
    median(results['prompt-cards'].map((m) => m.cpuSeconds)) /
    median(results.promptfoo.map((m) => m.cpuSeconds));
  const body = `## prompt-cards eval vs promptfoo eval

\`npm run bench:vs-promptfoo\` (${machineLine()}; promptfoo ${PROMPTFOO_VERSION}.x from the npm
registry). ${TESTS} tests, one prompt, an \`openai:chat:\` provider at a loopback OpenAI-wire
server answering in 20 ms (own process), concurrency ${CONCURRENCY}; the same suite file for both;
whole commands including start-up, ${ROUNDS} interleaved rounds, median. Ideal: ${((TESTS * 0.02) / CONCURRENCY).toFixed(2)} s.

| command | wall s (median) | range | CPU s (user+sys) | peak RSS MB | exit codes |
| --- | --- | --- | --- | --- | --- |
${row('promptfoo')}
${row('prompt-cards')}

prompt-cards ÷ promptfoo: wall time ${ratio.toFixed(3)}, CPU time ${cpu.toFixed(3)}, peak RSS ${rss.toFixed(2)}.

The same suite with 1 test (start-up alone; same rounds):

| command | wall s (median) | range | CPU s (user+sys) | peak RSS MB | exit codes |
| --- | --- | --- | --- | --- | --- |
${row('promptfoo', singles)}
${row('prompt-cards', singles)}

prompt-cards ÷ promptfoo, 1 test: CPU time ${(median(singles['prompt-cards'].map((m) => m.cpuSeconds)) / median(singles.promptfoo.map((m) => m.cpuSeconds))).toFixed(3)}.`;
  process.stdout.write(`${body}\n`);
  if (process.env.BENCH_WRITE !== '0') writeSection('vs-promptfoo', body);
}

void main();
