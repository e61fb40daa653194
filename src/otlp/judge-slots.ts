/**
 * A rule's judge concurrency across processes. With Redis (`REDIS_URL`), each evaluation of a
 * rule with `judge_concurrency` holds one of the rule's slots in the runs' Redis semaphore
 * (key `online-rule:<rule id>`) while it is judged, so the limit holds over the API and every
 * worker together; slots expire after the lease period unless renewed (the evaluator's
 * heartbeat renews them), so a killed process frees its slots. Without Redis there is no shared
 * state: the per-process limit (the evaluator's per-rule pool) is the only one.
 */
import { openRunSemaphore, type JobSlots } from '../runs/index.js';

export interface JudgeSlots {
  /**
   * Waits for one of the rule's `limit` slots; resolves with its release function. Rejects with
   * the signal's reason when aborted while waiting.
   */
  acquire(ruleId: string, limit: number, signal: AbortSignal): Promise<() => void>;
  /** Extends the slots this process holds for the rules (called every third of the lease). */
  renew(ruleIds: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/** No cross-process limit: acquiring is immediate (the per-process pool still applies). */
export const localJudgeSlots: JudgeSlots = {
  acquire: () => Promise.resolve(() => undefined),
  renew: () => Promise.resolve(),
  close: () => Promise.resolve(),
};

const key = (ruleId: string) => `online-rule:${ruleId}`;

/** Slots in Redis under `prefix` (RUN_QUEUE_PREFIX), each held for `ttlMs` unless renewed. */
export async function redisJudgeSlots(
  redisUrl: string,
  prefix: string,
  ttlMs: number,
): Promise<JudgeSlots> {
  const semaphore = await openRunSemaphore(redisUrl, prefix, ttlMs);
  // This process is one "job" of each rule's slots: it takes at most its share of the rule's
  // limit at once, the Redis scripts hold the limit over every process together.
  const joined = new Map<string, JobSlots>();
  const slotsOf = (ruleId: string): JobSlots => {
    let job = joined.get(ruleId);
    if (job === undefined) {
      job = semaphore.join(key(ruleId));
      joined.set(ruleId, job);
    }
    return job;
  };
  return {
    acquire: (ruleId, limit, signal) => slotsOf(ruleId).acquire(limit, signal),
    renew: async (ruleIds) => {
      for (const ruleId of ruleIds) await semaphore.renew(key(ruleId));
    },
    close: async () => {
      for (const job of joined.values()) job.leave();
      joined.clear();
      await semaphore.close();
    },
  };
}
