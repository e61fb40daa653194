/**
 * Appends audit records (the only write the service makes to `audit_log`) and lists them.
 * Appends are serialised in process and retried on a `seq` clash with another instance; the
 * record and the signed head are written in one transaction.
 * A new AUDIT_SECRET starts a segment whose first record is signed by the new secret and by
 * AUDIT_SECRET_PREVIOUS; `open()` refuses to start when the trail's last secret is neither.
 */
import { PostgresAdapter, sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../db/index.js';
import { isUniqueViolation } from '../db/index.js';
import { cutText } from '../util/index.js';
import {
  auditKeyId,
  changeDigest,
  computeHeadMac,
  computeMac,
  GENESIS_MAC,
  type AuditKeyring,
} from './audit-chain.js';

export interface AuditEntry {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly targetId: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly target_id: string;
  readonly digest: string;
  /** False when written without AUDIT_SECRET. */
  readonly signed: boolean;
  readonly key_id: string | null;
}

export interface AuditQuery {
  readonly limit: number;
  readonly offset: number;
  /** Records with a lower seq only (keyset: the `next` token of the previous page). */
  readonly after?: number | undefined;
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly target_id?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
}

/** The trail was signed with a secret this process does not have. */
export class AuditKeyError extends Error {
  /** A configuration problem: the process exits 2, as for a bad variable. */
  readonly exitCode = 2;
  constructor(keyId: string) {
    super(
      `The audit trail's last record was signed by an AUDIT_SECRET this process does not have ` +
        `(key id ${keyId}): set AUDIT_SECRET, and after a rotation AUDIT_SECRET_PREVIOUS to the ` +
        'old secret, so the new segment is signed by both',
    );
    this.name = 'AuditKeyError';
  }
}

function toRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    role: row.role,
    action: row.action,
    target_id: row.target_id,
    digest: row.digest,
    signed: row.key_id !== null,
    key_id: row.key_id,
  };
}

export class AuditTrail {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly keyId: string | undefined;
  private readonly previousKeyId: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly keyring: AuditKeyring,
  ) {
    this.keyId = keyring.current === undefined ? undefined : auditKeyId(keyring.current);
    this.previousKeyId = keyring.previous === undefined ? undefined : auditKeyId(keyring.previous);
  }

  get signed(): boolean {
    return this.keyId !== undefined;
  }

  /**
   * Checks at start-up that the next record can be chained; throws `AuditKeyError`. A signed
   * trail never continues unsigned: that would let anyone with database access append records.
   */
  async open(): Promise<void> {
    const last = await this.last();
    if (last?.key_id == null || last.key_id === this.keyId) return;
    if (this.keyId === undefined || last.key_id !== this.previousKeyId) {
      throw new AuditKeyError(last.key_id);
    }
  }

  /** Appends one record; resolves once it is stored. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    const next = this.tail.then(() => this.appendWithRetry(entry));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async appendWithRetry(entry: AuditEntry): Promise<AuditRecord> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.appendOnce(entry);
      } catch (error) {
        // Another instance took the same seq: read the new last record and chain after it.
        if (!isUniqueViolation(error) || attempt >= 10) throw error;
      }
    }
  }

  private async appendOnce(entry: AuditEntry): Promise<AuditRecord> {
    return this.db.transaction().execute(async (trx) => {
      // Instances on one PostgreSQL database take turns: without the lock, two appenders that
      // keep colliding on the next seq can starve one of them past its retries.
      if (trx.getExecutor().adapter instanceof PostgresAdapter) {
        await sql`select pg_advisory_xact_lock(hashtext('pcs-audit:' || current_schema()))`.execute(
          trx,
        );
      }
      const last = await trx
        .selectFrom('audit_log')
        .select(['seq', 'mac', 'key_id'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      const content = {
        at: new Date().toISOString(),
        actor: cutText(entry.actor, 200),
        role: entry.role,
        action: entry.action,
        target_id: entry.targetId,
        digest: changeDigest(entry.before, entry.after),
        key_id: this.keyId ?? null,
        prev_mac: last?.mac ?? GENESIS_MAC,
      };
      const rotated =
        last?.key_id != null && this.keyId !== undefined && last.key_id !== this.keyId;
      const row = {
        seq: Number(last?.seq ?? 0) + 1,
        ...content,
        mac: computeMac(content, this.keyring.current),
        mac_previous:
          rotated && last.key_id === this.previousKeyId
            ? computeMac(content, this.keyring.previous)
            : null,
      };
      if (last?.key_id != null && (this.keyId === undefined || (rotated && !row.mac_previous))) {
        throw new AuditKeyError(last.key_id);
      }
      await trx.insertInto('audit_log').values(row).execute();
      const head = {
        seq: row.seq,
        mac: row.mac,
        head_mac: computeHeadMac(row.seq, row.mac, this.keyring.current),
      };
      const updated = await trx
        .updateTable('audit_head')
        .set(head)
        .where('id', '=', 'head')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await trx
          .insertInto('audit_head')
          .values({ id: 'head', ...head })
          .execute();
      }
      return toRecord(row);
    });
  }

  private async last() {
    return this.db
      .selectFrom('audit_log')
      .select(['seq', 'key_id'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Records newest first, filtered; `total` counts every match. */
  async list(query: AuditQuery): Promise<{ items: AuditRecord[]; total: number }> {
    let base = this.db.selectFrom('audit_log');
    if (query.actor !== undefined) base = base.where('actor', '=', query.actor);
    if (query.action !== undefined) base = base.where('action', '=', query.action);
    if (query.target_id !== undefined) base = base.where('target_id', '=', query.target_id);
    if (query.since !== undefined) base = base.where('at', '>=', query.since);
    if (query.until !== undefined) base = base.where('at', '<', query.until);
    const keyed = query.after === undefined ? base : base.where('seq', '<', query.after);
    const [rows, count] = await Promise.all([
      keyed.selectAll().orderBy('seq', 'desc').limit(query.limit).offset(query.offset).execute(),
      base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toRecord), total: Number(count.n) };
  }
}
