/**
 * Start-up of `prompt-cards eval` on a 1-test suite (the built-in simulated model, so the run
 * itself is a few milliseconds): CommonJS modules compiled and CPU seconds, for the command as
 * installed (bin/prompt-cards.mjs: the bundle compiled through V8's code cache, warmed by one
 * run before the rounds, cache in a temp folder), the bundle required directly
 * (dist/cli/prompt-cards.cjs, compiled from source every time) and the same sources compiled
 * file by file (dist/src/cli/main.js). The three alternate within each of BENCH_ROUNDS rounds
 * (default 5); medians. CPU comes from process.cpuUsage() at exit (bench/count-modules.mjs), so
 * it includes Node's own start. The code-cached bundle is compiled by vm.Script, which the
 * module count does not see: its row counts the external packages only.
 *
 *   npm run bench:cli-startup            (writes its section of bench/README.md)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machineLine, writeSection } from './bench-report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Sample {
  readonly modules: number;
  readonly packages: number;
  readonly cpuSeconds: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function sample(entry: string, suite: string, dir: string): Sample {
  const cache = join(dir, 'cache');
  const out = join(dir, 'count.json');
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      pathToFileURL(resolve('bench/count-modules.mjs')).href,
      entry,
      'eval',
      '-c',
      suite,
    ],
    {
      cwd: dir,
      env: { ...process.env, CI: 'true', COUNT_MODULES_OUT: out, XDG_CACHE_HOME: cache },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`${entry} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Sample;
}

function main(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-startup-'));
  const suite = join(dir, 'suite.yaml');
  writeFileSync(
    suite,
    `description: one test\nprompts:\n  - 'Repeat: item {{n}}'\nproviders:\n  - id: simulated:fast\ntests:\n  - vars: { n: "1" }\n    assert:\n      - type: contains\n        value: item\n`,
  );
  const entries = {
    'command, code cache (bin/prompt-cards.mjs)': resolve('bin/prompt-cards.mjs'),
    'bundle (dist/cli/prompt-cards.cjs)': resolve('dist/cli/prompt-cards.cjs'),
    'file by file (dist/src/cli/main.js)': resolve('dist/src/cli/main.js'),
  } as const;
  type Name = keyof typeof entries;
  const samples: Record<Name, Sample[]> = {
    'command, code cache (bin/prompt-cards.mjs)': [],
    'bundle (dist/cli/prompt-cards.cjs)': [],
    'file by file (dist/src/cli/main.js)': [],
  };
  try {
    // Fills the code cache (the first run of a build compiles and stores it).
    sample(entries['command, code cache (bin/prompt-cards.mjs)'], suite, dir);
    for (let round = 0; round < ROUNDS; round++) {
      const names = Object.keys(entries) as Name[];
      for (const name of round % 2 === 0 ? names : names.reverse()) {
        const s = sample(entries[name], suite, dir);
        samples[name].push(s);
        process.stderr.write(`round ${round + 1} ${name}: ${JSON.stringify(s)}\n`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const row = (name: Name) => {
    const ss = samples[name];
    return `| ${name} | ${median(ss.map((s) => s.modules))} | ${median(ss.map((s) => s.packages))} | ${median(ss.map((s) => s.cpuSeconds)).toFixed(2)} |`;
  };
  const cpu = (name: Name) => median(samples[name].map((s) => s.cpuSeconds));
  const ratio =
    cpu('bundle (dist/cli/prompt-cards.cjs)') / cpu('file by file (dist/src/cli/main.js)');
  const cached =
    cpu('command, code cache (bin/prompt-cards.mjs)') / cpu('bundle (dist/cli/prompt-cards.cjs)');
  const load = loadavg()[0] ?? 0;
  const body = `## prompt-cards start-up: a 1-test eval, bundled against file by file

\`npm run bench:cli-startup\` (${machineLine()}, load average ${load.toFixed(1)} at the end). \`prompt-cards eval\` of a 1-test suite on the
simulated model; ${ROUNDS} alternating rounds, median. CommonJS modules compiled (of them under
node_modules; the code-cached bundle itself is compiled by vm.Script and not counted), CPU
seconds (user + system, Node's own start included).

| entry | modules | of packages | CPU s |
| --- | --- | --- | --- |
${row('command, code cache (bin/prompt-cards.mjs)')}
${row('bundle (dist/cli/prompt-cards.cjs)')}
${row('file by file (dist/src/cli/main.js)')}

bundle ÷ file by file: CPU time ${ratio.toFixed(3)}; code cache ÷ bundle: ${cached.toFixed(3)}.`;
  process.stdout.write(`${body}\n`);
  if (process.env.BENCH_WRITE !== '0') writeSection('cli-startup', body);
}

main();
