/**
 * Leases of the jobs of a run on a shared queue: a run is split into jobs (items [start, end)
 * of its plan) that several workers execute at once, so each job's executor holds a lease of
 * its own (same rules as a run's lease, run-lease.ts). A job redelivered by the queue after
 * its worker died takes the lease over only once it has expired (by the database's clock).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { databaseClock, type LeaseClock } from './lease-clock.js';
import { isDeadLocalOwner } from './run-lease.js';

export type JobLeaseOutcome =
  | { readonly acquired: true; readonly takenOverFrom: string | undefined }
  | { readonly acquired: false };

export class RunJobLeases {
  constructor(
    private readonly db: Kysely<Database>,
    readonly owner: string,
    readonly ttlMs: number,
    /** What expiries are written and judged by: the database's clock (lease-clock.ts). */
    private readonly clock: LeaseClock = databaseClock(db),
  ) {}

  async acquire(runId: string, start: number, at?: number): Promise<JobLeaseOutcome> {
    const now = at ?? (await this.clock());
    const inserted = await this.db
      .insertInto('run_job_leases')
      .values({ run_id: runId, start, owner: this.owner, expires_at: now + this.ttlMs })
      .onConflict((oc) => oc.columns(['run_id', 'start']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0)
      return { acquired: true, takenOverFrom: undefined };
    const row = await this.db
      .selectFrom('run_job_leases')
      .selectAll()
      .where('run_id', '=', runId)
      .where('start', '=', start)
      .executeTakeFirst();
    if (row === undefined) return this.acquire(runId, start, now);
    const dead =
      row.owner === this.owner || Number(row.expires_at) <= now || isDeadLocalOwner(row.owner);
    if (!dead) return { acquired: false };
    const result = await this.db
      .updateTable('run_job_leases')
      .set({ owner: this.owner, expires_at: now + this.ttlMs })
      .where('run_id', '=', runId)
      .where('start', '=', start)
      .where('owner', '=', row.owner)
      .where('expires_at', '=', row.expires_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return { acquired: false };
    return { acquired: true, takenOverFrom: row.owner === this.owner ? undefined : row.owner };
  }

  /** False when the lease is no longer this process's. */
  async renew(runId: string, start: number, at?: number): Promise<boolean> {
    const now = at ?? (await this.clock());
    const result = await this.db
      .updateTable('run_job_leases')
      .set({ expires_at: now + this.ttlMs })
      .where('run_id', '=', runId)
      .where('start', '=', start)
      .where('owner', '=', this.owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(runId: string, start: number): Promise<void> {
    await this.db
      .deleteFrom('run_job_leases')
      .where('run_id', '=', runId)
      .where('start', '=', start)
      .where('owner', '=', this.owner)
      .execute();
  }
}
