/**
 * A PostgreSQL cluster of the test's own (never the machine's server): `initdb` in a temporary
 * folder, `pg_ctl` on a free 127.0.0.1 port, so a test can stop, freeze (SIGSTOP) and restart
 * it. Uses the Debian binaries under /usr/lib/postgresql/<version>/bin; as root, runs them as
 * the `postgres` user (initdb refuses root). Gives a skip reason when the binaries are missing
 * (fails under REQUIRE_SYSTEM=1).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { REQUIRE_SYSTEM } from './system.js';
import { tempDir } from './temp-dir.js';

export interface OwnPostgres {
  readonly url: string;
  readonly port: number;
  start(): void;
  /** `pg_ctl stop -m fast`. */
  stop(): void;
  /** SIGSTOP (or SIGCONT) to the postmaster and every backend. */
  freeze(): void;
  thaw(): void;
  /** Stops the cluster (thawing it first) and removes its folder. */
  dispose(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startOwnPostgres(): Promise<OwnPostgres | string> {
  const bin = binDir();
  if (bin === undefined) {
    const reason = 'PostgreSQL binaries (initdb, pg_ctl) are not installed';
    if (REQUIRE_SYSTEM) throw new Error(`${reason} (REQUIRE_SYSTEM=1)`);
    return reason;
  }
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres']).toString()),
        gid: Number(execFileSync('id', ['-g', 'postgres']).toString()),
      }
    : {};
  const dir = tempDir('pcs-own-pg-');
  if (asRoot) chownSync(dir.path, ids.uid ?? 0, ids.gid ?? 0);
  const data = join(dir.path, 'data');
  const run = (tool: string, args: string[]) => {
    const result = spawnSync(join(bin, tool), args, { ...ids, encoding: 'utf8', cwd: dir.path });
    if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}${result.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir.path} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () =>
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir.path, 'log'), '-w', 'start']);
  let running = false;
  let frozen = false;
  const pids = (): number[] => {
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], {
      encoding: 'utf8',
    }).stdout;
    return [
      postmaster,
      ...children
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map(Number),
    ];
  };
  const signal = (name: NodeJS.Signals) => {
    for (const pid of pids()) {
      try {
        process.kill(pid, name);
      } catch {
        // A backend that exited meanwhile.
      }
    }
  };
  const handle: OwnPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => {
      start();
      running = true;
    },
    stop: () => {
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    freeze: () => {
      signal('SIGSTOP');
      frozen = true;
    },
    thaw: () => {
      signal('SIGCONT');
      frozen = false;
    },
    dispose: () => {
      if (frozen) handle.thaw();
      if (running) {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // Already stopped.
        }
      }
      dir.remove();
    },
  };
  handle.start();
  return handle;
}
