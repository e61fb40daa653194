// `npm start` builds only when a source file is newer than the compiled entry point,
// so the first start on a fresh checkout compiles and later starts are instant.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const entry = 'dist/src/main.js';

function newestMtime(dir) {
  let newest = 0;
  for (const entryName of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entryName.name);
    const mtime = entryName.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

const sourcesMtime = Math.max(
  newestMtime('src'),
  statSync('tsconfig.json').mtimeMs,
  statSync('tsconfig.build.json').mtimeMs,
);
if (!existsSync(entry) || statSync(entry).mtimeMs < sourcesMtime) {
  // On stderr, so a command's own output (e.g. `npm run cli -- eval`) stays clean.
  console.error('Compiling TypeScript (sources changed since the last build)…');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
