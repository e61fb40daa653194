/**
 * Where `scripts/install-engines.sh` put an engine: `$ENGINE_CACHE_DIR/<name>-<hash>`, the hash
 * being the first 12 hex digits of SHA-256 over the files of `engines/<name>/` in name order
 * (the same key the script computes). And a child process with its output kept, for the tests
 * that start an engine.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireService } from './system.js';

// Tests run from the repository root (npm scripts, scripts/run-tests.mjs).
const ROOT = process.cwd();

export type EngineName =
  'kafka' | 'mlflow' | 'schemathesis' | 'jaeger' | 'elasticsearch' | 'pino-elasticsearch';

/** The engine's folder in the cache (it may not exist). */
export function engineDir(name: EngineName): string {
  const manifests = join(ROOT, 'engines', name);
  const files = readdirSync(manifests)
    .filter((f) => statSync(join(manifests, f)).isFile())
    .sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(readFileSync(join(manifests, f)));
  const cache = process.env.ENGINE_CACHE_DIR ?? '/var/cache/prompt-card-system-engines';
  return join(cache, `${name}-${hash.digest('hex').slice(0, 12)}`);
}

/**
 * The engine's folder, or a skip reason when it is not installed (an error under
 * REQUIRE_SYSTEM=1).
 */
export async function requireEngine(
  name: EngineName,
): Promise<{ dir: string; skip?: undefined } | { skip: string }> {
  const dir = engineDir(name);
  const skip = await requireService(`${name} (scripts/install-engines.sh ${name})`, () =>
    existsSync(join(dir, '.complete'))
      ? Promise.resolve()
      : Promise.reject(new Error(`not installed at ${dir}`)),
  );
  return skip === undefined ? { dir } : { skip };
}

export interface EngineProcess {
  readonly child: ChildProcess;
  /** The last 64 kB of stdout and stderr. */
  output(): string;
  /**
   * SIGTERM to the process group (an engine's own workers too), then SIGKILL after `graceMs`;
   * resolves when the process has exited.
   */
  stop(graceMs?: number): Promise<void>;
}

export function spawnEngine(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): EngineProcess {
  // Its own process group, so that stop() reaches the workers an engine forks.
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
    detached: true,
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // already gone
    }
  };
  let log = '';
  const keep = (c: Buffer) => (log = (log + c.toString()).slice(-64_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    child,
    output: () => log,
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `ready` every 250 ms until it is true; throws with the output when the process exits or `timeoutMs` passes. */
export async function untilReady(
  what: string,
  engine: EngineProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (engine.child.exitCode !== null) break;
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start:\n${engine.output()}`);
}
