/**
 * The scaled-out topology as real processes: API replicas (`src/main.ts`, `RUN_EXECUTION=api`,
 * accept and enqueue only) and workers (`src/worker.ts`) on one PostgreSQL schema and one Redis.
 * Each process names its database connections `application_name=<name>` (in its DATABASE_URL),
 * so a test can find that process's backends in `pg_stat_activity` and terminate only those,
 * never another test's. A process can be started with its clock skewed by libfaketime
 * (`LD_PRELOAD`), the real tool, when it is installed (`faketimeLibrary()`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startMain } from './main-process.js';
import { POSTGRES_URL, REQUIRE_SYSTEM } from './system.js';

export type TopologyProcess = ReturnType<typeof startMain> & {
  readonly name: string;
  readonly kind: 'api' | 'worker';
  readonly baseUrl: string;
};

export interface ProcessOptions {
  /** libfaketime's FAKETIME, e.g. `+45s` or `-45s`: the process's clock, skewed. */
  readonly faketime?: string;
}

const FAKETIME_LIBRARIES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
];

/**
 * libfaketime's preload library (Debian's `libfaketime`), or a skip reason; fails under
 * REQUIRE_SYSTEM=1 when missing.
 */
export function faketimeLibrary(): { path: string } | string {
  const found = FAKETIME_LIBRARIES.find((path) => existsSync(path));
  if (found !== undefined) return { path: found };
  const reason = 'libfaketime is not installed (Debian package libfaketime)';
  if (REQUIRE_SYSTEM) throw new Error(`${reason} (REQUIRE_SYSTEM=1)`);
  return reason;
}

/** A DATABASE_URL selecting `schema` whose connections are named `name` in pg_stat_activity. */
export function processDatabaseUrl(schema: string, name: string): string {
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return `${POSTGRES_URL}${separator}application_name=${name}&options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

export class ProcessTopology {
  readonly processes: TopologyProcess[] = [];
  /** Every process started, stopped ones included (their output stays readable). */
  readonly started: TopologyProcess[] = [];
  private count = 0;

  /** `env` is shared by every process (queue, Redis, model); each gets its own name and port. */
  constructor(
    private readonly schema: string,
    private readonly env: () => Record<string, string>,
  ) {}

  async start(kind: 'api' | 'worker', options: ProcessOptions = {}): Promise<TopologyProcess> {
    const name = `pcs-${this.schema}-${kind}-${++this.count}`.slice(0, 60);
    const skew =
      options.faketime === undefined
        ? {}
        : (() => {
            const library = faketimeLibrary();
            if (typeof library === 'string') throw new Error(library);
            return { LD_PRELOAD: library.path, FAKETIME: options.faketime };
          })();
    const env = {
      ...this.env(),
      ...skew,
      DATABASE_URL: processDatabaseUrl(this.schema, name),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TOPOLOGY_LOG_LEVEL ?? 'info',
      SEED_SAMPLES: 'false',
      RATE_LIMIT_WRITES: '0',
      SHUTDOWN_DRAIN_MS: '0',
    };
    const child =
      kind === 'api'
        ? startMain({ ...env, PORT: '0', RUN_EXECUTION: 'api' })
        : startMain({ ...env, WORKER_PORT: '0' }, undefined, 'src/worker.ts');
    const started = Object.assign(child, { name, kind, baseUrl: await child.url(90_000) });
    this.processes.push(started);
    this.started.push(started);
    return started;
  }

  /** Sends `signal` and waits for the exit; answers the exit code. */
  async stop(target: TopologyProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (target.child.exitCode === null && target.child.signalCode === null) {
      target.child.kill(signal);
    }
    const code = await target.exited;
    this.processes.splice(this.processes.indexOf(target), 1);
    return code;
  }

  live(kind: 'api' | 'worker'): TopologyProcess[] {
    return this.processes.filter((p) => p.kind === kind);
  }

  /** Stops every live process; with `logDir`, writes each process's output there. */
  async stopAll(logDir = process.env.TOPOLOGY_LOG_DIR): Promise<void> {
    await Promise.all([...this.processes].map((p) => this.stop(p)));
    if (logDir === undefined || logDir === '') return;
    mkdirSync(logDir, { recursive: true });
    for (const p of this.started) {
      const { stdout, stderr } = p.output();
      writeFileSync(join(logDir, `${p.name}.log`), stdout + stderr);
    }
  }
}

/**
 * `pg_terminate_backend` on every backend of the process named `name` (what a failover or a
 * pooler does to a server process); answers how many were terminated.
 */
export async function terminateBackends(name: string): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ terminated: boolean }>(
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity
       where application_name = $1 and pid <> pg_backend_pid()`,
      [name],
    );
    return rows.filter((r) => r.terminated).length;
  } finally {
    await client.end();
  }
}
