/** Starts `src/main.ts` (or another entry, e.g. `src/worker.ts`) as a real child process and waits for its URL. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The child may run in a temporary folder, so the tsx loader is named by absolute URL.
const TSX_LOADER = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;

export function startMain(
  env: Record<string, string>,
  cwd?: string,
  entry = 'src/main.ts',
  /** Extra Node options before the entry, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs: readonly string[] = [],
) {
  const args = [...nodeArgs, '--import', TSX_LOADER, join(process.cwd(), entry)];
  const child = spawn(process.execPath, args, {
    cwd: cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const output = () => ({ stdout, stderr });
  const url = async (timeoutMs = 30_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = /listening on (http:\/\/[^"\s]+)/.exec(stdout)?.[1];
      if (found !== undefined) return found;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the process did not start:\n${stdout}\n${stderr}`);
  };
  return { child, exited, output, url };
}
