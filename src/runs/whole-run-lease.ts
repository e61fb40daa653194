/**
 * The whole-run lease strategy (lease-strategy.ts): this process executes every item of the run
 * while it holds the run's lease (run-lease.ts), and writes each of its statuses conditionally
 * on still holding it. How an execution ends, and what it writes:
 * - every item settled: `completed`, if the lease is still held and nobody cancelled;
 * - cancel (from any process): the status was already written by the cancel; the lease is given up;
 * - shutdown: `interrupted` (resumable);
 * - lease lost (taken over after an expiry): nothing (the new owner decides);
 * - an error: `failed`, or `interrupted` when a dependency (database, Redis) is unavailable.
 */
import type { Logger } from '../telemetry/logging/index.js';
import { isDependencyUnavailable } from './dependency-outage.js';
import type { LeaseStrategy, StopReason } from './lease-strategy.js';
import type { RunLeases } from './run-lease.js';
import type { Run, RunStatus } from './run-schema.js';
import type { RunRow, RunStore } from './run-store.js';

export interface WholeRunLeaseDeps {
  readonly runs: RunStore;
  readonly leases: RunLeases;
  readonly logger: Logger;
  /** While shutting down, the end of a run is not retried through a database outage. */
  readonly isShuttingDown: () => boolean;
  readonly onTakeover?: (runId: string, previousOwner: string) => void;
}

/** How long recording a run's end waits between tries while the database is down (ms). */
const END_RETRY_MS = 1000;

export class WholeRunLease implements LeaseStrategy {
  readonly span;

  constructor(
    private readonly deps: WholeRunLeaseDeps,
    private readonly runId: string,
  ) {
    this.span = { name: 'run', attributes: { 'pcs.run.id': runId } };
  }

  async claim(): Promise<RunRow | undefined> {
    const lease = await this.deps.leases.acquire(this.runId);
    if (lease === undefined) return undefined;
    if (lease.takenOverFrom !== undefined) {
      this.deps.logger.warn(
        { runId: this.runId, previousOwner: lease.takenOverFrom },
        'took over an expired run lease',
      );
      this.deps.onTakeover?.(this.runId, lease.takenOverFrom);
    }
    return lease.row;
  }

  async renew(): Promise<StopReason | undefined> {
    if (await this.deps.leases.renew(this.runId)) return undefined;
    const row = await this.deps.runs.getRunRow(this.runId);
    return row?.status === 'cancelled' ? 'cancel' : 'lost';
  }

  async start(row: RunRow): Promise<{ started: Run | undefined; proceed: boolean }> {
    const started = await this.deps.leases.transition(this.runId, ['queued', 'running'], {
      status: 'running',
      started_at: row.started_at ?? new Date().toISOString(),
    });
    return { started, proceed: started !== undefined };
  }

  async settle(_row: RunRow, stop: StopReason | undefined): Promise<Run | undefined> {
    const { leases, runs } = this.deps;
    if (stop === 'lost') return undefined;
    if (stop !== 'cancel') {
      const status: RunStatus = stop === 'shutdown' ? 'interrupted' : 'completed';
      // Conditional: a cancel written meanwhile stays (the run is cancelled, not completed).
      const finished = await leases.finish(this.runId, {
        status,
        finished_at: new Date().toISOString(),
      });
      if (finished !== undefined) return finished;
    }
    // The status was written by someone else (a cancel): read it to announce the end.
    await leases.release(this.runId);
    return runs.getRun(this.runId);
  }

  /**
   * Records how the run ended, holding its lease. While the database is unavailable the write
   * is retried every second (until shutdown; then the lease expires and recovery marks the run
   * interrupted), so a run never stays `running` with nothing executing it.
   */
  async fail(error: unknown): Promise<Run | undefined> {
    const { leases, logger } = this.deps;
    const unavailable = isDependencyUnavailable(error);
    logger.error({ err: error, runId: this.runId }, unavailable ? 'run interrupted' : 'run failed');
    const patch = {
      status: unavailable ? ('interrupted' as const) : ('failed' as const),
      error: error instanceof Error ? error.message : String(error),
      finished_at: new Date().toISOString(),
    };
    for (;;) {
      try {
        return await leases.finish(this.runId, patch);
      } catch (e) {
        if (!isDependencyUnavailable(e) || this.deps.isShuttingDown()) {
          logger.error({ err: e, runId: this.runId }, 'could not record the end of the run');
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, END_RETRY_MS));
      }
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
