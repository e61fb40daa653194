/**
 * Alerts by fingerprint with their history (firing → resolved). A webhook repeats alerts on
 * every group interval; an alert whose status and start time are already stored is a
 * duplicate and changes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { keyAfter } from '../db/index.js';
import type { AlertNotification, Severity } from './alert.js';

export interface StoredAlert extends AlertNotification {
  readonly updated_at: string;
}

export interface AlertEvent {
  readonly id: string;
  readonly fingerprint: string;
  readonly name: string;
  readonly status: 'firing' | 'resolved';
  readonly severity: Severity;
  readonly at: string;
}

export class AlertStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the alert; returns false when it is a duplicate of what is stored. */
  async record(alert: AlertNotification, now: Date = new Date()): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('alerts')
        .select(['status', 'starts_at'])
        .where('fingerprint', '=', alert.fingerprint)
        .executeTakeFirst();
      if (
        existing !== undefined &&
        existing.status === alert.status &&
        existing.starts_at === alert.startsAt
      )
        return false;
      const row = {
        fingerprint: alert.fingerprint,
        name: alert.name,
        status: alert.status,
        severity: alert.severity,
        summary: alert.summary,
        description: alert.description,
        labels: JSON.stringify(alert.labels),
        starts_at: alert.startsAt,
        ends_at: alert.endsAt,
        runbook_url: alert.runbookUrl,
        updated_at: now.toISOString(),
      };
      if (existing === undefined) await trx.insertInto('alerts').values(row).execute();
      else
        await trx
          .updateTable('alerts')
          .set(row)
          .where('fingerprint', '=', alert.fingerprint)
          .execute();
      await trx
        .insertInto('alert_events')
        .values({
          id: randomUUID(),
          fingerprint: alert.fingerprint,
          name: alert.name,
          status: alert.status,
          severity: alert.severity,
          at: now.toISOString(),
        })
        .execute();
      return true;
    });
  }

  async firing(severity?: Severity): Promise<StoredAlert[]> {
    let query = this.db.selectFrom('alerts').selectAll().where('status', '=', 'firing');
    if (severity !== undefined) query = query.where('severity', '=', severity);
    const rows = await query.orderBy('starts_at', 'desc').execute();
    return rows.map((r) => ({
      fingerprint: r.fingerprint,
      status: r.status as 'firing',
      name: r.name,
      severity: r.severity as Severity,
      summary: r.summary,
      description: r.description,
      labels: JSON.parse(r.labels) as Record<string, string>,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      runbookUrl: r.runbook_url,
      updated_at: r.updated_at,
    }));
  }

  /** Events newest first ((at, id) descending; keyset `after`, index alert_events_page). */
  async history(page: {
    limit: number;
    offset: number;
    after?: readonly (string | number)[] | undefined;
  }): Promise<{ items: AlertEvent[]; total: number }> {
    const count = await this.db
      .selectFrom('alert_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    let query = this.db.selectFrom('alert_events').selectAll();
    if (page.after !== undefined) query = query.where(keyAfter(['at', 'id'], page.after, 'desc'));
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      items: rows.map((r) => ({
        ...r,
        status: r.status as 'firing' | 'resolved',
        severity: r.severity as Severity,
      })),
      total: Number(count.n),
    };
  }
}
