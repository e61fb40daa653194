/**
 * `npm start` and `npm run worker` must hand SIGTERM to the service (a container's stop, a
 * process manager): npm runs a script through `sh -c`, and a shell that forks node keeps the
 * signal to itself, so the service never shuts down gracefully. The scripts here are the
 * project's own (read from package.json), run by the real npm in a temporary folder whose
 * `dist/src/*.js` stands in for the built entry: a process that reports the signal it got.
 * That stand-in keeps the test independent of a build; what is tested is the script's form.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../support/temp-dir.js';

const scripts = (
  JSON.parse(readFileSync('package.json', 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

const ENTRY = `
process.on('SIGTERM', () => { process.stdout.write('got SIGTERM\\n'); process.exit(0); });
process.stdout.write('ready\\n');
// Never outlives the test, even when the signal does not reach it.
setTimeout(() => process.exit(3), 15000);
`;

async function signalReaches(script: 'start' | 'worker'): Promise<string> {
  const dir = tempDir();
  try {
    mkdirSync(join(dir.path, 'dist/src'), { recursive: true });
    for (const entry of ['main.js', 'worker.js']) {
      writeFileSync(join(dir.path, 'dist/src', entry), ENTRY);
    }
    const command = scripts[script];
    assert.ok(command !== undefined, `package.json has a ${script} script`);
    writeFileSync(
      join(dir.path, 'package.json'),
      JSON.stringify({ name: 'signal-check', private: true, scripts: { [script]: command } }),
    );
    const npm = spawn('npm', ['run', script, '--silent'], {
      cwd: dir.path,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(npm, 'exit');
    for (let i = 0; i < 300 && !output.includes('ready'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(output, /ready/, 'the entry started');
    npm.kill('SIGTERM');
    const guard = setTimeout(() => {
      // The shell kept the signal; the stand-in ends by itself at 15 s.
      npm.kill('SIGKILL');
    }, 10_000);
    await exited;
    clearTimeout(guard);
    return output;
  } finally {
    dir.remove();
  }
}

describe('npm scripts pass signals to the service', () => {
  for (const script of ['start', 'worker'] as const) {
    it(`npm run ${script} delivers SIGTERM to the node process`, async () => {
      const output = await signalReaches(script);
      assert.match(output, /got SIGTERM/);
    });
  }
});
