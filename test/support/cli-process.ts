/**
 * Runs `prompt-cards` (src/cli/main.ts) as CI does: a separate process, in a given folder, with
 * the given extra environment. Resolves with the exit code and both streams.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

// The loader by path: the command may run in a temporary folder, where `tsx` does not resolve.
const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');

export interface CliOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCliProcess(
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(process.cwd(), 'src/cli/main.ts'), ...args],
      { cwd, env: { ...process.env, CI: 'true', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
