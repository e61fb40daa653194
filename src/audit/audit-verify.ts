/**
 * Walks the audit chain and names the first record that breaks it:
 * - `edited`: its MAC does not match its content, and the next record still chains to its
 *   stored MAC (the content changed under it);
 * - `inserted`: its MAC does not match and the chain skips it (the next record chains to the
 *   one before), or it lies beyond the signed head, or it copies an earlier record, or it is
 *   unsigned after signed records;
 * - `deleted`: a gap in `seq`, a record chaining to a MAC no record has, or a head that names a
 *   later record than the last one;
 * - `reordered`: a genuine record chaining to a record that is elsewhere in the trail.
 * Records signed by a secret not given are `unverifiable` (the walk cannot vouch for them).
 *
 * Given AUDIT_SECRET, the trail must be signed: unsigned records are accepted only before the
 * first signed record (whose MAC covers their chain), so a trail rewritten unsigned is
 * `unsigned`, and an empty trail is `deleted` (every start of the service signs a
 * `config.loaded` record, so a trail it wrote is never empty). With an anchor (audit-anchor.ts)
 * a wiped trail that the service has since restarted is `deleted` too.
 */
import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../db/index.js';
import { anchorProblem, type AuditAnchor } from './audit-anchor.js';
import {
  computeHeadMac,
  computeMac,
  GENESIS_MAC,
  secretsById,
  type AuditKeyring,
} from './audit-chain.js';

export type TamperKind =
  'edited' | 'deleted' | 'inserted' | 'reordered' | 'unverifiable' | 'unsigned';

export interface VerifyReport {
  readonly ok: boolean;
  readonly records: number;
  /** Records written without AUDIT_SECRET (hash-chained only). */
  readonly unsigned: number;
  /** Signed segments (a rotation starts a new one). */
  readonly segments: number;
  readonly problem?: { readonly seq: number; readonly kind: TamperKind; readonly message: string };
}

/** The last record of a verified trail, for the next anchor (audit-anchor.ts). */
export interface VerifiedHead {
  readonly seq: number;
  readonly mac: string;
  readonly keyId: string | null;
}

type Row = Omit<AuditLogTable, 'seq'> & { seq: number };

const PAGE = 5000;

async function readAll(db: Kysely<Database>): Promise<Row[]> {
  const rows: Row[] = [];
  // The smallest 32-bit integer: PostgreSQL refuses a parameter out of `integer` range.
  for (let after = -2_147_483_648; ;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of page) rows.push({ ...row, seq: Number(row.seq) });
    if (page.length < PAGE) return rows;
    after = rows[rows.length - 1]?.seq ?? after;
  }
}

/**
 * Verifies the trail; with `anchor` (a checkpoint of an earlier verification) also that the
 * trail still holds the anchored record. `onHead` receives the last record when the trail is
 * intact (for the next anchor).
 */
export async function verifyAuditTrail(
  db: Kysely<Database>,
  keyring: AuditKeyring,
  options: { anchor?: AuditAnchor; onHead?: (head: VerifiedHead) => void } = {},
): Promise<VerifyReport> {
  const secrets = secretsById(keyring);
  const rows = await readAll(db);
  const head = await db
    .selectFrom('audit_head')
    .selectAll()
    .where('id', '=', 'head')
    .executeTakeFirst();
  const headSeq = head === undefined ? undefined : Number(head.seq);
  const macOwners = new Map(rows.map((r) => [r.mac, r.seq]));
  const seen = new Set<string>();
  let unsigned = 0;
  let segments = 0;
  let prevMac = GENESIS_MAC;
  let prevKey: string | null | undefined = undefined;
  let expectedSeq = rows[0]?.seq === undefined ? 1 : Math.min(1, rows[0].seq);
  const fail = (seq: number, kind: TamperKind, message: string): VerifyReport => ({
    ok: false,
    records: rows.length,
    unsigned,
    segments,
    problem: { seq, kind, message },
  });

  /** undefined: no secret for it; otherwise whether its MAC(s) match. */
  const authentic = (row: Row): boolean | undefined => {
    if (row.key_id === null) return computeMac(row, undefined) === row.mac;
    const secret = secrets.get(row.key_id);
    return secret === undefined ? undefined : computeMac(row, secret) === row.mac;
  };

  for (const [i, row] of rows.entries()) {
    if (row.seq > expectedSeq) {
      return fail(expectedSeq, 'deleted', `records ${expectedSeq}–${row.seq - 1} are missing`);
    }
    if (row.key_id === null && prevKey != null) {
      return fail(row.seq, 'inserted', `record ${row.seq} is unsigned after signed records`);
    }
    const valid = authentic(row);
    if (valid === undefined) {
      return fail(
        row.seq,
        'unverifiable',
        `record ${row.seq} was signed by a secret not given (key id ${row.key_id ?? ''}); ` +
          'set AUDIT_SECRET_PREVIOUS to verify it',
      );
    }
    if (!valid) {
      const next = rows[i + 1];
      const skipped = next !== undefined && next.prev_mac === prevMac;
      const beyondHead = headSeq !== undefined && row.seq > headSeq;
      return skipped || beyondHead || (next === undefined && head?.mac !== row.mac)
        ? fail(row.seq, 'inserted', `record ${row.seq} was not written by the service`)
        : fail(row.seq, 'edited', `record ${row.seq} was changed after it was written`);
    }
    if (seen.has(row.mac)) {
      return fail(row.seq, 'inserted', `record ${row.seq} is a copy of an earlier record`);
    }
    if (row.prev_mac !== prevMac) {
      const owner = macOwners.get(row.prev_mac);
      return owner === undefined
        ? fail(row.seq, 'deleted', `the record before ${row.seq} is missing`)
        : fail(row.seq, 'reordered', `record ${row.seq} belongs after record ${owner}`);
    }
    if (row.key_id !== null && row.key_id !== prevKey) {
      segments++;
      // The first record of a rotated segment is signed by the old secret too.
      if (prevKey != null) {
        const old = secrets.get(prevKey);
        if (old === undefined) {
          return fail(
            row.seq,
            'unverifiable',
            `record ${row.seq} starts a segment whose previous secret is not given`,
          );
        }
        if (row.mac_previous !== computeMac(row, old)) {
          return fail(row.seq, 'edited', `record ${row.seq} is not signed by the previous secret`);
        }
      }
    }
    if (row.key_id === null) unsigned++;
    seen.add(row.mac);
    prevMac = row.mac;
    prevKey = row.key_id;
    expectedSeq = row.seq + 1;
  }

  const last = rows[rows.length - 1];
  if (head !== undefined) {
    const headSecret = last?.key_id == null ? undefined : secrets.get(last.key_id);
    const headValid = head.head_mac === computeHeadMac(Number(head.seq), head.mac, headSecret);
    if (last === undefined || Number(head.seq) > last.seq || (headValid && head.mac !== last.mac)) {
      const from = (last?.seq ?? 0) + 1;
      return fail(from, 'deleted', `records from ${from} to ${String(head.seq)} are missing`);
    }
    if (!headValid || head.mac !== last.mac) {
      return fail(
        last.seq,
        'edited',
        'the signed head of the trail does not match its last record',
      );
    }
  } else if (last !== undefined) {
    return fail(1, 'deleted', 'the head of the trail is missing');
  }
  if (keyring.current !== undefined) {
    if (last === undefined) {
      return fail(
        1,
        'deleted',
        'the trail is empty: the service signs a config.loaded record at every start, so a ' +
          'trail it wrote with AUDIT_SECRET set is never empty',
      );
    }
    if (last.key_id === null) {
      return fail(
        rows[0]?.seq ?? 1,
        'unsigned',
        `all ${rows.length} records are unsigned and no signed record vouches for them: with ` +
          'AUDIT_SECRET set the trail must be signed',
      );
    }
  }
  if (options.anchor !== undefined) {
    const problem = anchorProblem(options.anchor, rows, secrets);
    if (problem !== undefined) return fail(problem.seq, problem.kind, problem.message);
  }
  if (last !== undefined) options.onHead?.({ seq: last.seq, mac: last.mac, keyId: last.key_id });
  return { ok: true, records: rows.length, unsigned, segments };
}
