/**
 * Tampering with the audit trail directly in the database, as someone with write access to it
 * would, and checking that the verifier (and `npm run audit:verify`, when the suite can point
 * the command at the database) names the first tampered record. One suite, run on SQLite and
 * on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import {
  AuditKeyError,
  AuditTrail,
  verifyAuditTrail,
  type TamperKind,
} from '../../src/audit/index.js';
import type { DatabaseHandle } from '../../src/db/index.js';
import { suiteDatabase } from './suite-database.js';
import { tempDir } from './temp-dir.js';

const run = promisify(execFile);
const SECRET = 'audit-secret-for-tests-0001';
const OTHER = 'audit-secret-for-tests-0002';

export function defineAuditTamperSuite(
  label: string,
  open: () => Promise<DatabaseHandle | string>,
  /** DATABASE_URL that points the command at the same database; undefined: no CLI cases. */
  databaseUrl?: () => string,
  /** A second connection to the same database (instances appending together), if supported. */
  openSecond?: () => Promise<DatabaseHandle | string>,
): void {
  describe(`audit trail tampering (${label})`, () => {
    const database = suiteDatabase(open);

    async function fresh(count: number, secret: string | null = SECRET) {
      const db = database.handle.db;
      await db.deleteFrom('audit_log').execute();
      await db.deleteFrom('audit_head').execute();
      const trail = new AuditTrail(db, { current: secret ?? undefined, previous: undefined });
      for (let i = 1; i <= count; i++) {
        await trail.append({
          actor: `user-${i % 3}`,
          role: 'editor',
          action: 'card.updated',
          targetId: `card-${i}`,
          before: { n: i - 1 },
          after: { n: i },
        });
      }
      return db;
    }

    const verify = () =>
      verifyAuditTrail(database.handle.db, { current: SECRET, previous: undefined });

    async function expectProblem(seq: number, kind: TamperKind): Promise<void> {
      const report = await verify();
      assert.deepEqual(
        { seq: report.problem?.seq, kind: report.problem?.kind },
        { seq, kind },
        report.problem?.message,
      );
      if (databaseUrl !== undefined) {
        const cli = await runCli(databaseUrl());
        assert.equal(cli.code, 1, cli.stdout);
        assert.match(cli.stdout, new RegExp(`record ${seq} ${kind}`));
      }
    }

    it('passes an untouched chain (and the command exits 0)', async (t) => {
      if (database.skip(t)) return;
      await fresh(20);
      const report = await verify();
      assert.deepEqual(report, { ok: true, records: 21 - 1, unsigned: 0, segments: 1 });
      if (databaseUrl !== undefined) {
        const cli = await runCli(databaseUrl());
        assert.equal(cli.code, 0, cli.stdout);
        assert.match(cli.stdout, /OK: 20 audit records verified/);
      }
    });

    it('names an edited record', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(20);
      await db
        .updateTable('audit_log')
        .set({ actor: 'someone-else' })
        .where('seq', '=', 7)
        .execute();
      await expectProblem(7, 'edited');
    });

    it('names an edited last record', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(20);
      await db
        .updateTable('audit_log')
        .set({ action: 'card.viewed' })
        .where('seq', '=', 20)
        .execute();
      await expectProblem(20, 'edited');
    });

    it('names a deleted record, in the middle and at the end', async (t) => {
      if (database.skip(t)) return;
      let db = await fresh(20);
      await db.deleteFrom('audit_log').where('seq', '=', 7).execute();
      await expectProblem(7, 'deleted');
      db = await fresh(20);
      // Renumbered so that no gap shows: the chain still does.
      await db.deleteFrom('audit_log').where('seq', '=', 7).execute();
      await sql`update audit_log set seq = seq + 1000 where seq > 7`.execute(db);
      await sql`update audit_log set seq = seq - 1001 where seq > 1000`.execute(db);
      await expectProblem(7, 'deleted');
      db = await fresh(20);
      await db.deleteFrom('audit_log').where('seq', '>=', 19).execute();
      await expectProblem(19, 'deleted');
    });

    it('names an inserted record, in the middle and at the end', async (t) => {
      if (database.skip(t)) return;
      let db = await fresh(20);
      const forged = async (seq: number) => {
        const model = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '=', seq - 1)
          .executeTakeFirstOrThrow();
        await db
          .insertInto('audit_log')
          .values({ ...model, seq, actor: 'intruder', prev_mac: model.mac, mac: 'f'.repeat(64) })
          .execute();
      };
      await sql`update audit_log set seq = seq + 1000 where seq >= 8`.execute(db);
      await sql`update audit_log set seq = seq - 999 where seq > 1000`.execute(db);
      await forged(8);
      await expectProblem(8, 'inserted');
      db = await fresh(20);
      await forged(21);
      await expectProblem(21, 'inserted');
      db = await fresh(20);
      const copy = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 20)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('audit_log')
        .values({ ...copy, seq: 21 })
        .execute();
      await expectProblem(21, 'inserted');
    });

    it('names reordered records', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(20);
      await db.updateTable('audit_log').set({ seq: -1 }).where('seq', '=', 7).execute();
      await db.updateTable('audit_log').set({ seq: 7 }).where('seq', '=', 8).execute();
      await db.updateTable('audit_log').set({ seq: 8 }).where('seq', '=', -1).execute();
      await expectProblem(7, 'reordered');
    });

    it('refuses an unsigned record appended to a signed trail', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(5);
      const unsigned = new AuditTrail(db, { current: undefined, previous: undefined });
      await assert.rejects(unsigned.open(), AuditKeyError);
      await assert.rejects(
        unsigned.append({ actor: 'x', role: 'x', action: 'x', targetId: 'x' }),
        AuditKeyError,
      );
      const last = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 5)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('audit_log')
        .values({ ...last, seq: 6, key_id: null, prev_mac: last.mac, mac: 'a'.repeat(64) })
        .execute();
      assert.equal((await verify()).problem?.kind, 'inserted');
    });

    it('writes an unsigned trail without a secret, and says so', async (t) => {
      if (database.skip(t)) return;
      await fresh(4, null);
      const report = await verifyAuditTrail(database.handle.db, {
        current: undefined,
        previous: undefined,
      });
      assert.deepEqual(report, { ok: true, records: 4, unsigned: 4, segments: 0 });
    });

    it('fails an emptied trail when AUDIT_SECRET is given (exit 1, never "OK: 0")', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(3);
      await db.deleteFrom('audit_log').execute();
      await db.deleteFrom('audit_head').execute();
      await expectProblem(1, 'deleted');
    });

    it('fails a trail rewritten unsigned when AUDIT_SECRET is given', async (t) => {
      if (database.skip(t)) return;
      await fresh(5);
      await fresh(4, null); // everything deleted, then written again without the secret
      await expectProblem(1, 'unsigned');
    });

    it('accepts unsigned records before the first signed one (its MAC covers them)', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(3, null);
      const trail = new AuditTrail(db, { current: SECRET, previous: undefined });
      await trail.open();
      await trail.append({ actor: 'a', role: 'admin', action: 'config.loaded', targetId: 'x' });
      assert.deepEqual(await verify(), { ok: true, records: 4, unsigned: 3, segments: 1 });
    });

    it('detects, through the anchor file, a trail wiped and restarted by the service', async (t) => {
      if (database.skip(t)) return;
      if (databaseUrl === undefined) return t.skip('needs the command');
      const dir = tempDir();
      const anchor = join(dir.path, 'audit-anchor.json');
      try {
        await fresh(6);
        const first = await runCli(databaseUrl(), { AUDIT_ANCHOR_FILE: anchor });
        assert.equal(first.code, 0, first.stdout);
        assert.match(first.stdout, /anchored at record 6/);
        const again = await runCli(databaseUrl(), { AUDIT_ANCHOR_FILE: anchor });
        assert.equal(again.code, 0, again.stdout);
        await fresh(2); // wiped; the restarted service signs a new chain from record 1
        assert.ok((await verify()).ok, 'the restarted chain verifies on its own');
        const wiped = await runCli(databaseUrl(), { AUDIT_ANCHOR_FILE: anchor });
        assert.equal(wiped.code, 1, wiped.stdout);
        assert.match(wiped.stdout, /TAMPERED: record 6 deleted: .*emptied, truncated or restarted/);
        const forged = JSON.parse(readFileSync(anchor, 'utf8')) as Record<string, unknown>;
        writeFileSync(anchor, JSON.stringify({ ...forged, seq: 2, records: 2 }));
        const edited = await runCli(databaseUrl(), { AUDIT_ANCHOR_FILE: anchor });
        assert.equal(edited.code, 1, edited.stdout);
        assert.match(edited.stdout, /record 2 edited: the anchor file is not signed/);
      } finally {
        dir.remove();
      }
    });

    it('keeps one unbroken chain when two instances append at once', async (t) => {
      if (database.skip(t)) return;
      if (openSecond === undefined) return t.skip('several instances share PostgreSQL, not SQLite');
      const db = await fresh(1);
      const second = await openSecond();
      if (typeof second === 'string') return t.skip(second);
      try {
        const keyring = { current: SECRET, previous: undefined };
        const trails = [new AuditTrail(db, keyring), new AuditTrail(second.db, keyring)];
        await Promise.all(
          trails.flatMap((trail, instance) =>
            Array.from({ length: 25 }, (_, i) =>
              trail.append({
                actor: `instance-${instance}`,
                role: 'editor',
                action: 'card.created',
                targetId: `c${i}`,
              }),
            ),
          ),
        );
      } finally {
        await second.close();
      }
      assert.deepEqual(await verify(), { ok: true, records: 51, unsigned: 0, segments: 1 });
    });

    it('rotates: the new segment starts with a record signed by both secrets', async (t) => {
      if (database.skip(t)) return;
      const db = await fresh(6);
      await assert.rejects(
        new AuditTrail(db, { current: OTHER, previous: undefined }).open(),
        AuditKeyError,
      );
      const rotated = new AuditTrail(db, { current: OTHER, previous: SECRET });
      await rotated.open();
      for (let i = 0; i < 3; i++) {
        await rotated.append({
          actor: 'a',
          role: 'admin',
          action: 'api_key.created',
          targetId: `k${i}`,
        });
      }
      const both = { current: OTHER, previous: SECRET };
      assert.deepEqual(await verifyAuditTrail(db, both), {
        ok: true,
        records: 9,
        unsigned: 0,
        segments: 2,
      });
      const bridge = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '=', 7)
        .executeTakeFirstOrThrow();
      assert.notEqual(bridge.mac_previous, null);
      const onlyNew = await verifyAuditTrail(db, { current: OTHER, previous: undefined });
      assert.equal(onlyNew.problem?.kind, 'unverifiable');
      await db
        .updateTable('audit_log')
        .set({ mac_previous: 'b'.repeat(64) })
        .where('seq', '=', 7)
        .execute();
      assert.deepEqual(
        {
          seq: (await verifyAuditTrail(db, both)).problem?.seq,
          kind: (await verifyAuditTrail(db, both)).problem?.kind,
        },
        { seq: 7, kind: 'edited' },
      );
    });
  });
}

async function runCli(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        AUDIT_SECRET: SECRET,
        ...extra,
      },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
