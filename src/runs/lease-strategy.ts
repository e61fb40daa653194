/**
 * The seam between the executor core (executor-core.ts) and how an execution owns its work.
 * Two implementations:
 * - `WholeRunLease` (whole-run-lease.ts): one process executes every item of the run while it
 *   holds the run's lease, and writes every status of the run (in-process queue).
 * - `JobSliceLease` (job-slice-lease.ts): a worker executes items [start, end) of the run while
 *   it holds that job's lease, each model call inside a slot of the run's cross-worker
 *   semaphore; the first job moves the run to running, the one that finds every item recorded
 *   completes it (shared queue).
 *
 * Contract: every method may throw; the core contains heartbeat failures (logged, the lease
 * stays until it expires) and hands item failures to `fail`. A strategy never publishes
 * events or calls observers (the core does), and never reads the run again after its own
 * status write: writes answer the run as written (`RETURNING`).
 */
import type { Attributes } from '@opentelemetry/api';
import type { Run } from './run-schema.js';
import type { RunRow } from './run-store.js';

/** Why an execution stops before every item settled. */
export type StopReason = 'cancel' | 'shutdown' | 'lost';

export interface LeaseStrategy {
  /** The execution's span: its name and attributes. */
  readonly span: { readonly name: string; readonly attributes: Attributes };
  /** The items of the run's plan this execution covers; all when absent. */
  readonly slice?: { readonly start: number; readonly end: number };
  /**
   * Takes the lease. Answers the run's row (the execution's only read of it), or undefined when
   * there is nothing to do (finished, deleted, or executed by a live process elsewhere).
   */
  claim(): Promise<RunRow | undefined>;
  /** One heartbeat: renews the lease; a reason when the execution must stop. */
  renew(): Promise<StopReason | undefined>;
  /**
   * Moves the run to running. `started`: the run as written, when this write started it (it is
   * announced); `proceed`: false when the run may not execute (cancelled meanwhile).
   */
  start(row: RunRow): Promise<{ readonly started: Run | undefined; readonly proceed: boolean }>;
  /** Waits for a slot of a bound shared with other processes; resolves with its release. */
  slot?(row: RunRow, signal: AbortSignal): Promise<() => void>;
  /** Every item settled or the execution stopped: the run to announce as finished, if any. */
  settle(row: RunRow, stop: StopReason | undefined): Promise<Run | undefined>;
  /** The items failed with `error`: the run to announce as finished, if any; throws to retry. */
  fail(error: unknown, stop: StopReason | undefined): Promise<Run | undefined>;
  /** Always called last: gives up what only this execution held. Never throws. */
  close(): Promise<void>;
}
