// `npm start` builds only what changed since the last build: the server when a file under src/
// is newer than its compiled entry point, the web UI when a file under web/ is newer than its
// built page, the bundled command line (scripts/build-cli.mjs) when a file under src/ is newer
// than the bundle. The first start on a fresh checkout builds all three; later starts are instant.
//
//   --server-only   the server and the command line, not the web UI
//   --cli-only      only the bundled command line (what bin/prompt-cards.mjs runs)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir) {
  let newest = 0;
  for (const entryName of readdirSync(dir, { withFileTypes: true })) {
    if (entryName.name === 'node_modules') continue;
    const path = join(dir, entryName.name);
    const mtime = entryName.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

function stale(output, sourcesMtime) {
  return !existsSync(output) || statSync(output).mtimeMs < sourcesMtime;
}

const cliOnly = process.argv.includes('--cli-only');
const sources = newestMtime('src');
const serverSources = Math.max(
  sources,
  statSync('tsconfig.json').mtimeMs,
  statSync('tsconfig.build.json').mtimeMs,
);
if (!cliOnly && stale('dist/src/main.js', serverSources)) {
  // On stderr, so a command's own output (e.g. `npm run cli -- eval`) stays clean.
  console.error('Compiling TypeScript (sources changed since the last build)…');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}

if (
  stale('dist/cli/prompt-cards.cjs', Math.max(sources, statSync('scripts/build-cli.mjs').mtimeMs))
) {
  console.error('Bundling the command line (sources changed since the last build)…');
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}

if (
  !cliOnly &&
  !process.argv.includes('--server-only') &&
  stale('dist/web/index.html', newestMtime('web'))
) {
  console.error('Building the web UI (web/ changed since the last build)…');
  execFileSync(
    process.execPath,
    [
      'node_modules/vite/bin/vite.js',
      'build',
      '--config',
      'web/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    {
      stdio: 'inherit',
    },
  );
}
