/**
 * API key format and hashing. A key is `pcs_<id>_<secret>`: the 12-hex-digit id finds the row,
 * the 256-bit random secret is the credential. Only SHA-256 of the whole key is stored: a key
 * has 256 bits of entropy, so a slow password hash would add cost without adding safety (the
 * practice of GitHub and Stripe tokens). Comparison of the hashes is constant-time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_FORMAT = /^pcs_([0-9a-f]{12})_([0-9a-f]{64})$/;

export interface NewApiKey {
  readonly id: string;
  /** The key itself: shown once, never stored. */
  readonly key: string;
  /** SHA-256 of the key, hex. */
  readonly hash: string;
}

export function generateApiKey(): NewApiKey {
  const id = randomBytes(6).toString('hex');
  const key = `pcs_${id}_${randomBytes(32).toString('hex')}`;
  return { id, key, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The id part of a well-formed key, or undefined. */
export function apiKeyId(key: string): string | undefined {
  return KEY_FORMAT.exec(key)?.[1];
}

/** Constant-time check of a presented key against a stored hash. */
export function apiKeyMatches(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
