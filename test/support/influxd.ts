/**
 * A real InfluxDB 1.x (`influxd`, Debian package `influxdb`) for one test file: free ports on
 * 127.0.0.1, data in a temporary folder, stopped and removed at the end. It can be stopped
 * and started again on the same port and data (an outage), and answers InfluxQL queries.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireService } from './system.js';
import { tempDir } from './temp-dir.js';
import { closedPort } from './wire-server.js';

export interface Influxd {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Runs InfluxQL; returns the series of the first statement (epoch ms times). */
  query(database: string, q: string): Promise<InfluxSeries[]>;
  dispose(): Promise<void>;
}

export interface InfluxSeries {
  readonly name: string;
  readonly columns: string[];
  readonly values: unknown[][];
}

/** A skip reason when influxd is not installed (a failure under REQUIRE_SYSTEM=1). */
export function requireInfluxd(): Promise<string | undefined> {
  return requireService('influxd (Debian package influxdb)', () => {
    const probe = spawnSync('influxd', ['version'], { encoding: 'utf8' });
    if (probe.status !== 0) return Promise.reject(new Error(probe.error?.message ?? probe.stderr));
    return Promise.resolve();
  });
}

export async function startInfluxd(): Promise<Influxd> {
  const dir = tempDir('pcs-influxd-');
  const httpPort = await closedPort();
  const rpcPort = await closedPort();
  const config = join(dir.path, 'influxdb.conf');
  writeFileSync(
    config,
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${join(dir.path, 'meta')}"`,
      '[data]',
      `  dir = "${join(dir.path, 'data')}"`,
      `  wal-dir = "${join(dir.path, 'wal')}"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    child = spawn('influxd', ['-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      const ok = await fetch(`${url}/ping`).then(
        (r) => r.status === 204,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`influxd did not start:\n${log}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    async query(database, q) {
      const params = new URLSearchParams({ db: database, q, epoch: 'ms' });
      const response = await fetch(`${url}/query?${params.toString()}`, { method: 'POST' });
      const body = (await response.json()) as {
        results?: { series?: InfluxSeries[]; error?: string }[];
        error?: string;
      };
      const first = body.results?.[0];
      const error = body.error ?? first?.error;
      if (error !== undefined) throw new Error(`InfluxQL: ${error}`);
      return first?.series ?? [];
    },
    async dispose() {
      await stop();
      dir.remove();
    },
  };
}

/** Rows of a series as objects keyed by column. */
export function rows(series: readonly InfluxSeries[]): Record<string, unknown>[] {
  return series.flatMap((s) =>
    s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))),
  );
}
