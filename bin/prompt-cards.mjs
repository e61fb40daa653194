#!/usr/bin/env node
// The `prompt-cards` command. It is a source file (not the built CLI), so npm links the command
// when the package is installed, before anything is built: `npx prompt-cards` works right after
// `npm install` on a fresh checkout. It runs the bundled CLI, dist/cli/prompt-cards.cjs (one file,
// scripts/build-cli.mjs), with the same arguments, exit code and output, compiled through V8's
// code cache (bin/run-bundle.mjs).
//
// In a checkout (src/ beside dist/), the bundle is built first when it is missing or older than a
// source file (scripts/build-if-stale.mjs --cli-only). An installed package ships the bundle and
// no sources: it runs as it is.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBundle } from './run-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'prompt-cards.cjs');

/** Newest modification time under `dir` (ms), 0 when it does not exist. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

// Checked here rather than in a child process: a fresh bundle costs a directory walk, not a
// second Node start.
if (existsSync(join(root, 'src'))) {
  const built = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    statSync(join(root, 'scripts', 'build-cli.mjs')).mtimeMs,
  );
  if (built < sources) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs'), '--cli-only'], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
runBundle(bundle);
