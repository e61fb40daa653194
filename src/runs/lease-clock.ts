/**
 * What leases are judged by: the database's clock (not the reader's) and a process identity
 * that tells processes apart beyond hostname + pid.
 *
 * - `databaseClock(db)` reads the current time from the database server, in epoch milliseconds
 *   (PostgreSQL `clock_timestamp()`; SQLite `julianday('now')`, the one machine's clock). Every
 *   process of a deployment writes and compares lease expiries on this one clock, so a replica
 *   whose own clock is ahead (or behind) neither takes a live lease nor keeps a dead one.
 * - `processNamespace()` names the PID namespace this process lives in (the kernel's boot id
 *   and the namespace's inode, from /proc); two processes with the same hostname and pid in
 *   different containers (host networking) differ in it. Undefined where /proc does not say.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** Current time in epoch milliseconds, as a source of lease expiries. */
export type LeaseClock = () => Promise<number>;

export function databaseClock<DB>(db: Kysely<DB>): LeaseClock {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const query = postgres
    ? sql<{
        now: string;
      }>`select floor(extract(epoch from clock_timestamp()) * 1000)::bigint as now`
    : sql<{
        now: number;
      }>`select cast((julianday('now') - 2440587.5) * 86400000 as integer) as now`;
  return async () => {
    const { rows } = await query.execute(db);
    const now = Number(rows[0]?.now);
    if (!Number.isFinite(now)) throw new Error('the database did not tell its time');
    return now;
  };
}

let namespace: string | undefined | null = null;

/**
 * `<boot id prefix>.<pid namespace inode>` (no `/`), or undefined when it cannot be read (not
 * Linux): then a lease owner is judged by its expiry alone.
 */
export function processNamespace(): string | undefined {
  if (namespace !== null) return namespace;
  try {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().slice(0, 8);
    const inode = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    namespace = boot !== '' && inode !== undefined ? `${boot}.${inode}` : undefined;
  } catch {
    namespace = undefined;
  }
  return namespace;
}
