/**
 * The audit trail's hash chain, as pure functions. Each record's MAC is
 * HMAC-SHA256(AUDIT_SECRET, JSON[prev_mac, at, actor, role, action, target_id, digest, key_id]),
 * so it covers the record's content and the MAC of the record before it: editing, removing,
 * inserting or reordering records breaks the chain at that place. Without a secret the "MAC" is
 * plain SHA-256 of the same input (`key_id` null): it shows accidental damage, not deliberate
 * edits, and the trail says so. A key id (a hash of the secret, not the secret) tells which
 * secret signed a record, so a rotation starts a new segment.
 */
import { createHash, createHmac } from 'node:crypto';

/** `prev_mac` of the first record. */
export const GENESIS_MAC = '0'.repeat(64);

export interface AuditContent {
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly target_id: string;
  readonly digest: string;
  readonly key_id: string | null;
  readonly prev_mac: string;
}

/** The secrets a process knows: AUDIT_SECRET and, after a rotation, AUDIT_SECRET_PREVIOUS. */
export interface AuditKeyring {
  readonly current: string | undefined;
  readonly previous: string | undefined;
}

/** 16 hex digits naming a secret without revealing it. */
export function auditKeyId(secret: string): string {
  return createHash('sha256').update(`pcs-audit-key-id\0${secret}`).digest('hex').slice(0, 16);
}

/** key id → secret for every secret in the keyring. */
export function secretsById(keyring: AuditKeyring): Map<string, string> {
  const map = new Map<string, string>();
  for (const secret of [keyring.current, keyring.previous]) {
    if (secret !== undefined) map.set(auditKeyId(secret), secret);
  }
  return map;
}

function macInput(c: AuditContent): string {
  return JSON.stringify([
    c.prev_mac,
    c.at,
    c.actor,
    c.role,
    c.action,
    c.target_id,
    c.digest,
    c.key_id,
  ]);
}

/** HMAC-SHA256 under `secret`, or SHA-256 when unsigned; hex. */
export function computeMac(content: AuditContent, secret: string | undefined): string {
  const input = macInput(content);
  return secret === undefined
    ? createHash('sha256').update(input).digest('hex')
    : createHmac('sha256', secret).update(input).digest('hex');
}

/** The signature of the trail's head (last seq and MAC). */
export function computeHeadMac(seq: number, mac: string, secret: string | undefined): string {
  const input = `pcs-audit-head\0${seq}\0${mac}`;
  return secret === undefined
    ? createHash('sha256').update(input).digest('hex')
    : createHmac('sha256', secret).update(input).digest('hex');
}

/** SHA-256 of the change's before and after states (JSON), hex. */
export function changeDigest(before: unknown, after: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify({ before: before ?? null, after: after ?? null }))
    .digest('hex');
}
