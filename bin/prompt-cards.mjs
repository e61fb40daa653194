#!/usr/bin/env node
// The `prompt-cards` command. It is a source file (not the compiled CLI), so npm links the command
// when the package is installed, before anything is built: `npx prompt-cards` works right after
// `npm install` on a fresh checkout. On first use, or after the sources changed, it compiles the
// server code (not the web UI, which the command does not need), then runs the compiled CLI with
// the same arguments, exit code and output.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs'), '--server-only'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
