/**
 * A transaction whose connection dies before its COMMIT was sent runs again, whole, on a fresh
 * connection. When PostgreSQL ends a server process (`pg_terminate_backend`, a failover, a
 * pooler), the open transaction on it is rolled back by the server: nothing of it was applied,
 * so running the callback again is safe. Once COMMIT was sent, its outcome is unknown (it may
 * have been applied): that error is marked (`commitOutcomeUnknown`) and never retried.
 *
 * Contract for callbacks: a transaction's callback may run more than once, so it does its work
 * through the transaction only (and resets what it accumulates in memory at its start). Every
 * callback in this code base does.
 */
import { Kysely, type TransactionBuilder } from 'kysely';
import { commitOutcomeUnknown, isConnectionLost } from './postgres-retry-dialect.js';

/** Attempts after the first one; the pool may hand out another connection of a dead batch. */
const RETRIES = 3;
/** True when a transaction that failed with `error` may run again from its start. */
export function transactionSafeToRepeat(error: unknown): boolean {
  return isConnectionLost(error) && !commitOutcomeUnknown(error);
}

/** Runs `attempt` again (up to RETRIES times) while it fails with a repeatable error. */
export async function repeatOnLostConnection<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= RETRIES || !transactionSafeToRepeat(error)) throw error;
    }
  }
}

function retrying<DB>(builder: TransactionBuilder<DB>): TransactionBuilder<DB> {
  return new Proxy(builder, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'execute') {
        return <T>(callback: Parameters<TransactionBuilder<DB>['execute']>[0]) =>
          repeatOnLostConnection(() => target.execute(callback) as Promise<T>);
      }
      // setIsolationLevel / setAccessMode answer a new builder: it retries as well.
      return (...args: unknown[]) => {
        const answer: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return answer === target ? (receiver as unknown) : retryingIfBuilder(answer);
      };
    },
  });
}

function retryingIfBuilder(value: unknown): unknown {
  return typeof value === 'object' && value !== null && 'execute' in value
    ? retrying(value as TransactionBuilder<unknown>)
    : value;
}

/** Kysely whose `transaction().execute(callback)` repeats as the file comment says. */
export class RetryingKysely<DB> extends Kysely<DB> {
  override transaction(): TransactionBuilder<DB> {
    return retrying(super.transaction());
  }
}
