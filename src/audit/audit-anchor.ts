/**
 * An anchor: a checkpoint of the trail kept outside the database (`AUDIT_ANCHOR_FILE`), written
 * by each successful `npm run audit:verify` and checked by the next. Someone with write access
 * to the database can delete every `audit_log` row and the head; the service, restarted, then
 * signs a fresh chain that verifies on its own. The anchor remembers the last verified record
 * (seq and MAC, signed with AUDIT_SECRET so it cannot be forged), and a trail that no longer
 * holds that record (emptied, truncated, restarted) is `deleted`.
 *
 * File format (JSON): `{ "seq", "mac", "records", "key_id", "verified_at", "anchor_mac" }`,
 * `anchor_mac` = HMAC-SHA256(secret of `key_id`, "pcs-audit-anchor\0seq\0mac\0records").
 */
import { createHmac } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { TamperKind } from './audit-verify.js';

export interface AuditAnchor {
  readonly seq: number;
  readonly mac: string;
  readonly records: number;
  readonly key_id: string;
  readonly verified_at: string;
  readonly anchor_mac: string;
}

export function computeAnchorMac(
  anchor: Pick<AuditAnchor, 'seq' | 'mac' | 'records'>,
  secret: string,
): string {
  return createHmac('sha256', secret)
    .update(`pcs-audit-anchor\0${anchor.seq}\0${anchor.mac}\0${anchor.records}`)
    .digest('hex');
}

/** A signed anchor for the trail's last record. */
export function createAnchor(
  head: { seq: number; mac: string },
  records: number,
  keyId: string,
  secret: string,
  now: Date,
): AuditAnchor {
  const content = { seq: head.seq, mac: head.mac, records };
  return {
    ...content,
    key_id: keyId,
    verified_at: now.toISOString(),
    anchor_mac: computeAnchorMac(content, secret),
  };
}

/** Why the trail does not hold what `anchor` vouched for; undefined when it does. */
export function anchorProblem(
  anchor: AuditAnchor,
  rows: readonly { seq: number; mac: string }[],
  secrets: ReadonlyMap<string, string>,
): { seq: number; kind: TamperKind; message: string } | undefined {
  const secret = secrets.get(anchor.key_id);
  if (secret === undefined) {
    return {
      seq: anchor.seq,
      kind: 'unverifiable',
      message: `the anchor was signed by a secret not given (key id ${anchor.key_id})`,
    };
  }
  if (computeAnchorMac(anchor, secret) !== anchor.anchor_mac) {
    return { seq: anchor.seq, kind: 'edited', message: 'the anchor file is not signed' };
  }
  const held = rows.find((row) => row.seq === anchor.seq);
  if (held?.mac !== anchor.mac || rows.length < anchor.records) {
    return {
      seq: anchor.seq,
      kind: 'deleted',
      message:
        `record ${anchor.seq} (verified on ${anchor.verified_at}, ${anchor.records} records then) ` +
        `is no longer in the trail: it was emptied, truncated or restarted`,
    };
  }
  return undefined;
}

/** The anchor in `path`; undefined when the file does not exist. Throws on a malformed file. */
export function readAnchor(path: string): AuditAnchor | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const value = JSON.parse(text) as Partial<AuditAnchor>;
  if (
    typeof value.seq !== 'number' ||
    typeof value.mac !== 'string' ||
    typeof value.records !== 'number' ||
    typeof value.key_id !== 'string' ||
    typeof value.anchor_mac !== 'string'
  ) {
    throw new Error(`${path} is not an audit anchor`);
  }
  return { verified_at: '', ...value } as AuditAnchor;
}

/** Writes the anchor atomically (a reader never sees half a file). */
export function writeAnchor(path: string, anchor: AuditAnchor): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(anchor, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}
