/**
 * A Redis server of the test's own (never the machine's shared one on 6379): `redis-server` on
 * a free 127.0.0.1 port with a temporary folder and no persistence, so a test can shut it down
 * (an outage: `SHUTDOWN NOSAVE`, as `redis-cli shutdown` does), start it again on the same port
 * (empty, as after a restart without persistence) or flush it. Gives a skip reason when
 * `redis-server` is not installed (fails under REQUIRE_SYSTEM=1).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './own-postgres.js';
import { REQUIRE_SYSTEM } from './system.js';
import { tempDir } from './temp-dir.js';

export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  /** Starts the server (again) on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  /** `SHUTDOWN NOSAVE`; resolves once the process has exited. */
  stop(): Promise<void>;
  /** `FLUSHALL`: every key gone, the server stays up. */
  flush(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis | string> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    const reason = 'redis-server is not installed';
    if (REQUIRE_SYSTEM) throw new Error(`${reason} (REQUIRE_SYSTEM=1)`);
    return reason;
  }
  const port = await freePort();
  const dir = tempDir('pcs-own-redis-');
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const command = async (...args: string[]) => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await client.call(args[0], ...args.slice(1));
    } finally {
      client.disconnect();
    }
  };
  const start = async () => {
    if (child !== undefined) return;
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: dir.path, stdio: 'ignore' },
    );
    child = started;
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    void exited.then(() => {
      if (child === started) child = undefined;
    });
    for (let i = 0; i < 200; i++) {
      try {
        if ((await command('PING')) === 'PONG') return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`redis-server did not answer on port ${port}`);
  };
  const stop = async () => {
    const running = child;
    if (running === undefined) return;
    await command('SHUTDOWN', 'NOSAVE').catch(() => running.kill('SIGKILL'));
    await exited;
    child = undefined;
  };
  await start();
  return {
    url,
    port,
    start,
    stop,
    flush: async () => {
      await command('FLUSHALL');
    },
    dispose: async () => {
      await stop();
      dir.remove();
    },
  };
}
