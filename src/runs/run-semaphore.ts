/**
 * A counting semaphore in Redis that bounds a run's model calls across every worker: a sorted
 * set per run whose members are the held slots, scored by their expiry (Redis server time, in
 * milliseconds). Acquiring drops expired slots and adds one if fewer than the run's
 * concurrency are held, in one Lua script (atomic). Holders renew their slots on the lease
 * heartbeat, so the slots of a killed worker free themselves after the lease period.
 *
 * Redis unavailable (an outage, a restart, a flush) is waited out: acquiring retries until
 * Redis answers again or the caller aborts, so an outage pauses a run's model calls instead of
 * failing the run. A flush forgets the held slots; they are taken again as calls finish.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { closeRedisClient, isRedisUnavailable } from './dependency-outage.js';

const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

/** KEYS[1] set; ARGV: limit, ttl ms, token. Returns 1 when acquired. */
const ACQUIRE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0`;

/** KEYS[1] set; ARGV: ttl ms, tokens… Extends the held slots. */
const RENEW = `${NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 0`;

/** How long acquiring waits between tries while Redis is unavailable, in milliseconds. */
const OUTAGE_DELAY_MS = 200;

export class RunSemaphore {
  private readonly redis: Redis;
  /** Tokens this process holds, per run. */
  private readonly held = new Map<string, Set<string>>();

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined);
  }

  private key(runId: string): string {
    return `${this.prefix}:run-slots:${runId}`;
  }

  /**
   * Waits for one of the run's `limit` slots; resolves with its release function. Rejects with
   * the signal's reason when aborted while waiting.
   */
  async acquire(runId: string, limit: number, signal: AbortSignal): Promise<() => void> {
    const token = randomUUID();
    let delay = 2;
    for (;;) {
      signal.throwIfAborted();
      const got = await this.redis
        .eval(ACQUIRE, 1, this.key(runId), limit, this.ttlMs, token)
        .catch((error: unknown) => {
          if (!isRedisUnavailable(error)) throw error;
          // Redis is down: wait it out (the lease heartbeat keeps the run's jobs).
          delay = OUTAGE_DELAY_MS;
          return 0;
        });
      if (got === 1) break;
      // Jittered, growing to 20 ms: a freed slot is taken within a fraction of a model call.
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
      delay = delay >= OUTAGE_DELAY_MS ? 2 : Math.min(20, delay * 2);
    }
    const tokens = this.held.get(runId) ?? new Set<string>();
    this.held.set(runId, tokens.add(token));
    return () => {
      tokens.delete(token);
      if (tokens.size === 0) this.held.delete(runId);
      this.redis.zrem(this.key(runId), token).catch(() => undefined);
    };
  }

  /** Extends every slot this process holds for the run. */
  async renew(runId: string): Promise<void> {
    const tokens = this.held.get(runId);
    if (tokens === undefined || tokens.size === 0) return;
    await this.redis.eval(RENEW, 1, this.key(runId), this.ttlMs, ...tokens);
  }

  /** Quits, or disconnects when Redis does not answer within a second (an outage). */
  async close(): Promise<void> {
    await closeRedisClient(this.redis, 1000);
  }
}
