// Runs every *.test.ts file under the given folders with node's own test runner (through tsx),
// because Node 20's `--test` neither expands globs nor discovers TypeScript files by itself.
// The timeout is a hang guard, not a speed check: a file that starts servers and child processes
// took over 120 s on a loaded 2-core machine (37 min CI run beside other builds). A file whose
// tests all finished exits (--test-force-exit): test/system/runs/redis-faults.test.ts passes its
// tests in ~30 s but leaves a handle open after its after() hook (to be found), which otherwise
// holds the file until the guard.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  if (!existsSync(dir)) return [];
  if (dir.endsWith('.test.ts')) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const dirs = process.argv.slice(2);
const files = dirs.flatMap(findTests).sort();
if (files.length === 0) {
  console.error(`No test files under ${dirs.join(', ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-timeout=600000',
    '--test-force-exit',
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
);
process.exit(result.status ?? 1);
