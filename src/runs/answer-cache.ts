/**
 * The answer cache: model answers keyed by provider and model, the rendered prompt and the call
 * parameters (SHA-256 of them), kept `CACHE_TTL_SECONDS`. In process an LRU map (10,000
 * answers); with REDIS_URL, Redis (redis-answer-cache.ts, shared by every process). Only
 * answers are stored: a failed call is never cached. A cache that fails is a miss.
 */
import { createHash } from 'node:crypto';
import type { ModelCall } from '../providers/index.js';

export interface AnswerCache {
  get(key: string): Promise<ModelCall | undefined>;
  set(key: string, call: ModelCall): Promise<void>;
  close(): Promise<void>;
}

/** The cache key of a chat call: model id (provider:model), messages, and call parameters. */
export function answerKey(
  model: string,
  messages: readonly unknown[],
  params: unknown = {},
): string {
  return createHash('sha256')
    .update(JSON.stringify([model, messages, params]))
    .digest('hex');
}

export class MemoryAnswerCache implements AnswerCache {
  private readonly entries = new Map<string, { call: ModelCall; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): Promise<ModelCall | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return Promise.resolve(undefined);
    this.entries.delete(key);
    if (entry.expires <= Date.now()) return Promise.resolve(undefined);
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recent.
    this.entries.set(key, entry);
    return Promise.resolve(entry.call);
  }

  set(key: string, call: ModelCall): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { call, expires: Date.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }
}
