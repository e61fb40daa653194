/**
 * Ownership of runs by lease. The process executing a run writes its owner id and an expiry
 * (epoch milliseconds) on the run's row and renews it on a heartbeat; every change of a run's
 * state by its executor is conditional on still holding the lease, so a process that lost it
 * (paused, partitioned, taken over) can no longer write the status.
 *
 * A lease is dead when it has expired, or when its owner ran on this host, in this PID
 * namespace, and that process is gone (a restart after a crash on the same machine need not wait
 * for the expiry). Expiries are written and judged by the database's clock (lease-clock.ts),
 * never the reader's: a replica whose clock is ahead does not take a live lease.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely, Selectable } from 'kysely';
import type { Database, RunTable } from '../db/index.js';
import { databaseClock, processNamespace, type LeaseClock } from './lease-clock.js';
import { ACTIVE_RUN_STATUSES, type Run, type RunStatus } from './run-schema.js';

type StatusPatch = Partial<Pick<RunTable, 'status' | 'error' | 'started_at' | 'finished_at'>>;

/**
 * `host/pid/random/namespace`: unique per process start, and tells whether it ran on this host
 * in this PID namespace (`host/pid/random` where the namespace cannot be read).
 */
export function newLeaseOwner(): string {
  const namespace = processNamespace();
  const owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  return namespace === undefined ? owner : `${owner}/${namespace}`;
}

/**
 * True when `owner` is a process of this host and PID namespace that no longer exists. Same
 * hostname and pid in another namespace (a container with host networking), or an owner
 * without a namespace, is never judged here: its lease expires instead.
 */
export function isDeadLocalOwner(owner: string): boolean {
  const [host, pidText, , namespace] = owner.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  const local = processNamespace();
  if (local === undefined || namespace !== local) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface AcquiredLease {
  /** The previous owner, when its lease had expired and this one took over. */
  readonly takenOverFrom: string | undefined;
  /** The run's row as the taking write left it (`RETURNING`): what its executor runs. */
  readonly row: Selectable<RunTable>;
}

/** An active run whose lease is dead, as read. */
export interface Orphan {
  readonly id: string;
  readonly owner: string | null;
  readonly expiresAt: number | null;
}

/**
 * Makes a conditional status write (`write` answers the row as written, or undefined when its
 * condition did not hold) with the patch as stored (its error sealed when encryption at rest is
 * on), and answers the run as written; the run store's `writeStatus` also writes the lifecycle
 * event to the outbox in the same transaction.
 */
export interface StatusWriter {
  writeStatus(
    id: string,
    patch: StatusPatch,
    write: (db: Kysely<Database>, sealed: StatusPatch) => Promise<Selectable<RunTable> | undefined>,
  ): Promise<Run | undefined>;
}

export class RunLeases {
  private readonly status: StatusWriter;
  /** The database's clock (epoch ms): what every lease expiry is written and judged by. */
  readonly clock: LeaseClock;

  constructor(
    private readonly db: Kysely<Database>,
    readonly owner: string,
    readonly ttlMs: number,
    /** The run store: status writes are sealed and recorded in the outbox with the change. */
    status: StatusWriter,
    clock?: LeaseClock,
  ) {
    this.status = status;
    this.clock = clock ?? databaseClock(db);
  }

  /**
   * Takes the lease of an active run if nobody else holds a live one. Returns undefined when
   * the run is finished, missing, or owned by a live process.
   */
  async acquire(runId: string, at?: number): Promise<AcquiredLease | undefined> {
    const now = at ?? (await this.clock());
    const row = await this.db
      .selectFrom('runs')
      .select(['status', 'lease_owner', 'lease_expires_at'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (row === undefined || !ACTIVE_RUN_STATUSES.includes(row.status as RunStatus))
      return undefined;
    const previous = row.lease_owner;
    if (previous !== null && previous !== this.owner && !this.isDead(row, now)) return undefined;
    // Conditional on the row still being as read: two processes racing cannot both win.
    let update = this.db
      .updateTable('runs')
      .set({ lease_owner: this.owner, lease_expires_at: now + this.ttlMs })
      .where('id', '=', runId)
      .where('status', 'in', [...ACTIVE_RUN_STATUSES]);
    update =
      previous === null
        ? update.where('lease_owner', 'is', null)
        : update.where('lease_owner', '=', previous);
    if (row.lease_expires_at !== null)
      update = update.where('lease_expires_at', '=', row.lease_expires_at);
    const taken = await update.returningAll().executeTakeFirst();
    if (taken === undefined) return undefined;
    return {
      takenOverFrom: previous !== null && previous !== this.owner ? previous : undefined,
      row: taken,
    };
  }

  /** Extends the lease; false when it is no longer held or the run left queued/running. */
  async renew(runId: string, at?: number): Promise<boolean> {
    const now = at ?? (await this.clock());
    const result = await this.db
      .updateTable('runs')
      .set({ lease_expires_at: now + this.ttlMs })
      .where('id', '=', runId)
      .where('lease_owner', '=', this.owner)
      .where('status', 'in', [...ACTIVE_RUN_STATUSES])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Changes an active run's status while holding its lease; answers the run as written, or
   * undefined when the lease or state is gone.
   */
  async transition(
    runId: string,
    from: readonly RunStatus[],
    patch: StatusPatch,
  ): Promise<Run | undefined> {
    return this.status.writeStatus(runId, patch, (db, sealed) =>
      db
        .updateTable('runs')
        .set(sealed)
        .where('id', '=', runId)
        .where('lease_owner', '=', this.owner)
        .where('status', 'in', [...from])
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /**
   * Finishes the run (status and release in one write) if the lease is still held and active;
   * answers the run as written, or undefined when the lease or state is gone.
   */
  async finish(runId: string, patch: StatusPatch): Promise<Run | undefined> {
    return this.status.writeStatus(runId, patch, (db, sealed) =>
      db
        .updateTable('runs')
        .set({ ...sealed, lease_owner: null, lease_expires_at: null })
        .where('id', '=', runId)
        .where('lease_owner', '=', this.owner)
        .where('status', 'in', [...ACTIVE_RUN_STATUSES])
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** Gives the lease up without touching the status (after a cancel wrote it). */
  async release(runId: string): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('id', '=', runId)
      .where('lease_owner', '=', this.owner)
      .execute();
  }

  /** Whether a live process (this one included) holds the run's lease or one of its jobs'. */
  async isHeld(runId: string, at?: number): Promise<boolean> {
    const now = at ?? (await this.clock());
    const row = await this.db
      .selectFrom('runs')
      .select(['lease_owner', 'lease_expires_at'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (row === undefined) return false;
    if (row.lease_owner !== null && !this.isDead(row, now)) return true;
    const jobs = await this.db
      .selectFrom('run_job_leases')
      .select(['owner', 'expires_at'])
      .where('run_id', '=', runId)
      .execute();
    return jobs.some(
      (job) => !this.isDead({ lease_owner: job.owner, lease_expires_at: job.expires_at }, now),
    );
  }

  /**
   * Active runs whose lease is dead, with their previous owner. Runs without any lease count
   * only with `includeUnowned` (in-process queue: every accepted run is leased at creation, so
   * an unowned one was left by an older version; on a shared queue it is simply waiting).
   */
  async orphaned(includeUnowned: boolean, at?: number): Promise<Orphan[]> {
    const now = at ?? (await this.clock());
    const rows = await this.db
      .selectFrom('runs')
      .select(['id', 'lease_owner', 'lease_expires_at'])
      .where('status', 'in', [...ACTIVE_RUN_STATUSES])
      .execute();
    return rows
      .filter((row) => (row.lease_owner === null ? includeUnowned : this.isDead(row, now)))
      .map((row) => ({ id: row.id, owner: row.lease_owner, expiresAt: row.lease_expires_at }));
  }

  /**
   * Active runs nobody executes right now: no live run lease and no live job lease (on a shared
   * queue: waiting for a worker, or lost by the queue), with their item counts.
   */
  async unexecuted(at?: number): Promise<{ id: string; total_items: number }[]> {
    const now = at ?? (await this.clock());
    const rows = await this.db
      .selectFrom('runs')
      .select(['id', 'total_items', 'lease_owner', 'lease_expires_at'])
      .where('status', 'in', [...ACTIVE_RUN_STATUSES])
      .execute();
    const idle = rows.filter((row) => this.isDead(row, now));
    if (idle.length === 0) return [];
    const jobs = await this.db
      .selectFrom('run_job_leases')
      .select(['run_id', 'owner', 'expires_at'])
      .where(
        'run_id',
        'in',
        idle.map((row) => row.id),
      )
      .execute();
    const busy = new Set(
      jobs
        .filter(
          (job) => !this.isDead({ lease_owner: job.owner, lease_expires_at: job.expires_at }, now),
        )
        .map((job) => job.run_id),
    );
    return idle
      .filter((row) => !busy.has(row.id))
      .map((row) => ({ id: row.id, total_items: Number(row.total_items) }));
  }

  /**
   * Resume: moves a run from one of `from` back to `queued` unless a live process still holds
   * its lease (a cancel that has not stopped its executor yet). With `lease`, this process
   * takes the lease at once (in-process queue). Returns false when refused.
   */
  async claimForResume(
    runId: string,
    from: readonly RunStatus[],
    lease: boolean,
    at?: number,
  ): Promise<boolean> {
    const now = at ?? (await this.clock());
    const row = await this.db
      .selectFrom('runs')
      .select(['status', 'lease_owner', 'lease_expires_at'])
      .where('id', '=', runId)
      .executeTakeFirst();
    if (row === undefined || !from.includes(row.status as RunStatus)) return false;
    if (row.lease_owner !== null && !this.isDead(row, now)) return false;
    let update = this.db
      .updateTable('runs')
      .set({
        status: 'queued',
        finished_at: null,
        error: null,
        lease_owner: lease ? this.owner : null,
        lease_expires_at: lease ? now + this.ttlMs : null,
      })
      .where('id', '=', runId)
      .where('status', 'in', [...from]);
    update =
      row.lease_owner === null
        ? update.where('lease_owner', 'is', null)
        : update.where('lease_owner', '=', row.lease_owner);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Marks an orphaned run (see `orphaned`) interrupted, only if its lease is still the dead
   * one that was read: a run another process has taken meanwhile stays untouched.
   */
  async interruptOrphan(orphan: Orphan, now = new Date()): Promise<boolean> {
    const patch: StatusPatch = { status: 'interrupted', finished_at: now.toISOString() };
    const run = await this.status.writeStatus(orphan.id, patch, (db, sealed) =>
      this.interruptIfStillOrphaned(db, orphan, sealed),
    );
    return run !== undefined;
  }

  private async interruptIfStillOrphaned(
    db: Kysely<Database>,
    orphan: Orphan,
    patch: StatusPatch,
  ): Promise<Selectable<RunTable> | undefined> {
    let update = db
      .updateTable('runs')
      .set({ ...patch, lease_owner: null, lease_expires_at: null })
      .where('id', '=', orphan.id)
      .where('status', 'in', [...ACTIVE_RUN_STATUSES]);
    update =
      orphan.owner === null
        ? update.where('lease_owner', 'is', null)
        : update.where('lease_owner', '=', orphan.owner);
    // A renewal since the read (a slow owner that is alive after all) makes this a no-op.
    if (orphan.expiresAt !== null) update = update.where('lease_expires_at', '=', orphan.expiresAt);
    return update.returningAll().executeTakeFirst();
  }

  /** Leases (of runs and of jobs) live right now, for the active-leases gauge. */
  async activeCount(at?: number): Promise<number> {
    const now = at ?? (await this.clock());
    const runs = await this.db
      .selectFrom('runs')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('lease_owner', 'is not', null)
      .where('lease_expires_at', '>', now)
      .executeTakeFirstOrThrow();
    const jobs = await this.db
      .selectFrom('run_job_leases')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('expires_at', '>', now)
      .executeTakeFirstOrThrow();
    return Number(runs.n) + Number(jobs.n);
  }

  private isDead(
    row: { lease_owner: string | null; lease_expires_at: number | null },
    now: number,
  ): boolean {
    if (row.lease_owner === null) return true;
    if (row.lease_expires_at === null || Number(row.lease_expires_at) <= now) return true;
    return isDeadLocalOwner(row.lease_owner);
  }
}
