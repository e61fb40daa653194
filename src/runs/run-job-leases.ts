/**
 * Leases of the jobs of a run on a shared queue: a run is split into jobs (items [start, end)
 * of its plan) that several workers execute at once, so each job's executor holds a lease of
 * its own (same rules as a run's lease, run-lease.ts). A job redelivered by the queue after
 * its worker died takes the lease over only once it has expired (by the database's clock).
 *
 * The owner names the process, so the process also remembers which leases its jobs hold: a
 * second job of the same slice in the same process (the run enqueued again after Redis lost
 * its jobs, a redelivery while the first still runs) is refused while the first holds it. A
 * lease of this owner that no job here holds (its release failed) is taken back at once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { databaseClock, type LeaseClock } from './lease-clock.js';
import { isDeadLocalOwner } from './run-lease.js';

export type JobLeaseOutcome =
  | { readonly acquired: true; readonly takenOverFrom: string | undefined }
  | { readonly acquired: false };

export class RunJobLeases {
  /** `run id/start` of the leases jobs of this process hold now. */
  private readonly held = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    readonly owner: string,
    readonly ttlMs: number,
    /** What expiries are written and judged by: the database's clock (lease-clock.ts). */
    private readonly clock: LeaseClock = databaseClock(db),
  ) {}

  async acquire(runId: string, start: number, at?: number): Promise<JobLeaseOutcome> {
    const key = `${runId}/${start}`;
    if (this.held.has(key)) return { acquired: false };
    // Taken before the first await: two jobs of this process cannot both get past here.
    this.held.add(key);
    try {
      const outcome = await this.claim(runId, start, at);
      if (!outcome.acquired) this.held.delete(key);
      return outcome;
    } catch (error) {
      this.held.delete(key);
      throw error;
    }
  }

  private async claim(runId: string, start: number, at?: number): Promise<JobLeaseOutcome> {
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
    if (row === undefined) return this.claim(runId, start, now);
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
    return (await this.renewAndRead(runId, start, at)) !== undefined;
  }

  /**
   * Renews the lease and reads the run's status in one statement (a heartbeat); undefined when
   * the lease is no longer this process's.
   */
  async renewAndRead(
    runId: string,
    start: number,
    at?: number,
  ): Promise<{ status: string | null } | undefined> {
    const now = at ?? (await this.clock());
    return this.db
      .updateTable('run_job_leases')
      .set({ expires_at: now + this.ttlMs })
      .where('run_id', '=', runId)
      .where('start', '=', start)
      .where('owner', '=', this.owner)
      .returning((eb) =>
        eb.selectFrom('runs').select('runs.status').where('runs.id', '=', runId).as('status'),
      )
      .executeTakeFirst();
  }

  async release(runId: string, start: number): Promise<void> {
    this.held.delete(`${runId}/${start}`);
    await this.db
      .deleteFrom('run_job_leases')
      .where('run_id', '=', runId)
      .where('start', '=', start)
      .where('owner', '=', this.owner)
      .execute();
  }
}
