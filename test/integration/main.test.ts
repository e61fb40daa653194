import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../support/temp-dir.js';

// The child runs in a temporary folder, so the tsx loader is named by absolute URL.
const TSX_LOADER = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;

/** Starts `src/main.ts` as a real process with only the given environment (plus PATH). */
function startMain(env: Record<string, string>, cwd?: string) {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, join(process.cwd(), 'src/main.ts')],
    {
      cwd: cwd ?? process.cwd(),
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('the process', () => {
  it('exits with code 2 and one message naming every bad variable', async () => {
    const dir = tempDir();
    try {
      const main = startMain(
        { PORT: 'nope', NODE_ENV: 'production', AUDIT_SECRET: 'your_blockchain_audit_secret' },
        dir.path,
      );
      assert.equal(await main.exited, 2);
      const { stderr } = main.output();
      assert.match(stderr, /PORT: must be a port number/);
      assert.match(stderr, /AUDIT_SECRET: is the placeholder/);
      assert.doesNotMatch(stderr, /your_blockchain_audit_secret/);
    } finally {
      dir.remove();
    }
  });

  it('serves, then shuts down cleanly with exit code 0 on SIGTERM', async () => {
    const dir = tempDir();
    try {
      const main = startMain(
        { PORT: '0', DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`, LOG_LEVEL: 'info' },
        dir.path,
      );
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (url === undefined && Date.now() < deadline) {
        url = /listening on (http:\/\/[^"\s]+)/.exec(main.output().stdout)?.[1];
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(
        url !== undefined,
        `no start line in ${main.output().stdout}${main.output().stderr}`,
      );
      const response = await fetch(`${url}/api/prompt-cards`);
      assert.equal(response.status, 200);
      main.child.kill('SIGTERM');
      assert.equal(await main.exited, 0);
      assert.match(main.output().stdout, /shutdown complete/);
    } finally {
      dir.remove();
    }
  });
});
