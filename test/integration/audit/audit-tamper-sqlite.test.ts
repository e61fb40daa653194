import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { AuditTrail } from '../../../src/audit/index.js';
import { connectDatabase, migrateToLatest } from '../../../src/db/index.js';
import { defineAuditTamperSuite } from '../../support/audit-tamper-suite.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());
const url = `sqlite:${join(dir.path, 'audit.db')}`;
const SECRET = 'audit-secret-10k-records';

defineAuditTamperSuite(
  'SQLite',
  () => connectDatabase(url),
  () => url,
);

describe('npm run audit:verify on 10,000 records', () => {
  it('confirms an untouched signed chain (exit 0)', async () => {
    const bigUrl = `sqlite:${join(dir.path, 'audit-10k.db')}`;
    const database = await connectDatabase(bigUrl);
    try {
      await migrateToLatest(database.db);
      const trail = new AuditTrail(database.db, { current: SECRET, previous: undefined });
      for (let i = 0; i < 10_000; i++) {
        await trail.append({
          actor: 'a',
          role: 'editor',
          action: 'card.updated',
          targetId: `c${i}`,
        });
      }
    } finally {
      await database.close();
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/audit-verify.ts'],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: bigUrl, AUDIT_SECRET: SECRET } },
    );
    assert.match(stdout, /^OK: 10000 audit records verified/);
  });
});
