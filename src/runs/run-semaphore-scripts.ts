/**
 * The run semaphore's Lua scripts (run-semaphore.ts), registered with ioredis `defineCommand`
 * so that each call is one EVALSHA (EVAL only once after a Redis restart, on NOSCRIPT).
 *
 * Keys of one run (all under the queue prefix, expiring twice the slot TTL after last use):
 * - `slots`: sorted set, member = slot token, score = its expiry (Redis server time, ms);
 * - `jobs`: sorted set, member = job id, score = its expiry: the jobs executing the run now,
 *   whose count sets each job's share of the run's concurrency;
 * - `wake`: list, one entry pushed per released slot (trimmed to the run's concurrency);
 *   a process with waiting calls blocks on it (BLPOP) instead of polling.
 */
import type { Redis } from 'ioredis';

const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

/**
 * KEYS: slots, jobs; ARGV: limit, ttl ms, token, job id.
 * Returns { 1 when acquired else 0, live jobs of the run }.
 */
const ACQUIRE = `${NOW}
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZADD', KEYS[2], now + ttl, ARGV[4])
redis.call('PEXPIRE', KEYS[2], ttl * 2)
local jobs = redis.call('ZCARD', KEYS[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ttl * 2)
  return {1, jobs}
end
return {0, jobs}`;

/** KEYS: slots, wake; ARGV: token, limit, ttl ms. Frees the slot and wakes one waiter. */
const RELEASE = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('RPUSH', KEYS[2], '1')
  redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]) * 2)
end
return 0`;

/**
 * KEYS: slots, jobs; ARGV: ttl ms, number of job ids n, n job ids, tokens…
 * Extends the given jobs and held slots; returns the live jobs of the run.
 */
const RENEW = `${NOW}
local ttl = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
for i = 3, 2 + n do redis.call('ZADD', KEYS[2], now + ttl, ARGV[i]) end
for i = 3 + n, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl * 2)
redis.call('PEXPIRE', KEYS[2], ttl * 2)
return redis.call('ZCARD', KEYS[2])`;

/** The commands `defineSlotCommands` adds to a client. */
export interface SlotCommands {
  pcsSlotAcquire(
    slots: string,
    jobs: string,
    limit: number,
    ttlMs: number,
    token: string,
    jobId: string,
  ): Promise<[number, number]>;
  pcsSlotRelease(
    slots: string,
    wake: string,
    token: string,
    limit: number,
    ttlMs: number,
  ): Promise<number>;
  pcsSlotRenew(
    slots: string,
    jobs: string,
    ttlMs: number,
    jobCount: number,
    ...jobIdsThenTokens: string[]
  ): Promise<number>;
}

/** Registers the scripts on `redis` (sent by EVALSHA); answers the same client, typed. */
export function defineSlotCommands(redis: Redis): Redis & SlotCommands {
  redis.defineCommand('pcsSlotAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('pcsSlotRelease', { numberOfKeys: 2, lua: RELEASE });
  redis.defineCommand('pcsSlotRenew', { numberOfKeys: 2, lua: RENEW });
  return redis as Redis & SlotCommands;
}
