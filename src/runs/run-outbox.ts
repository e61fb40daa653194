/**
 * The outbox port of the run store: with one configured, every change of a run's state (and
 * every stored result) is handed to `append` inside the database transaction that makes the
 * change, so the event exists exactly when the state does: a rollback drops both, a commit
 * keeps both, and a crash right after the commit loses neither. Implementations (src/sinks)
 * insert rows that a relay publishes later; they must only write through the `db` they are
 * given, and throw to roll the change back.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { Run, RunResult } from './run-schema.js';

export type RunLifecycle = 'created' | 'started' | 'finished' | 'cancelled' | 'interrupted';

export type RunStateChange =
  | { readonly kind: RunLifecycle; readonly run: Run }
  | { readonly kind: 'result'; readonly result: RunResult };

export interface RunOutbox {
  /** Writes the events of `changes` through `db`, the open transaction. */
  append(db: Kysely<Database>, changes: readonly RunStateChange[]): Promise<void>;
  /** Called after a transaction with events committed (wakes the relay). Never throws. */
  committed(): void;
}

/** The lifecycle event a new status stands for (none for `queued` after a resume). */
export function lifecycleOf(status: string | undefined): RunLifecycle | undefined {
  switch (status) {
    case 'running':
      return 'started';
    case 'completed':
    case 'failed':
      return 'finished';
    case 'cancelled':
      return 'cancelled';
    case 'interrupted':
      return 'interrupted';
    default:
      return undefined;
  }
}
