/**
 * How long does `npm run audit:verify` take on a trail of 10,000 records (SQLite, signed)?
 * Appends the records through AuditTrail (one transaction each, as the service does), then
 * times verifyAuditTrail — the function the command runs — over 5 rounds, and the command
 * itself once (process start, tsx and database open included).
 *
 *   npm run bench:audit-verify           (writes its section of bench/README.md)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditTrail, verifyAuditTrail } from '../src/audit/index.js';
import { connectDatabase, migrateToLatest } from '../src/db/index.js';
import { machineLine, writeSection } from './bench-report.js';

const RECORDS = Number(process.env.BENCH_AUDIT_RECORDS ?? 10_000);
const SECRET = 'bench-audit-secret-0123456789';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-audit-bench-'));
  const url = `sqlite:${join(dir, 'audit.db')}`;
  const database = await connectDatabase(url);
  try {
    await migrateToLatest(database.db);
    const keyring = { current: SECRET, previous: undefined };
    const trail = new AuditTrail(database.db, keyring);
    const appendStart = performance.now();
    for (let i = 0; i < RECORDS; i++) {
      await trail.append({
        actor: `user-${i % 7}`,
        role: 'editor',
        action: 'card.updated',
        targetId: `card-${i % 500}`,
        before: { title: `t${i}` },
        after: { title: `t${i + 1}` },
      });
    }
    const appendMs = performance.now() - appendStart;
    const rounds: number[] = [];
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      const report = await verifyAuditTrail(database.db, keyring);
      rounds.push(performance.now() - start);
      if (!report.ok || report.records !== RECORDS) throw new Error('verify failed');
    }
    const cliStart = performance.now();
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/audit-verify.ts'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, AUDIT_SECRET: SECRET },
    });
    const cliMs = performance.now() - cliStart;
    rounds.sort((a, b) => a - b);
    const median = rounds[2] ?? 0;
    const body = `
## Audit trail verification (\`npm run bench:audit-verify\`)

${RECORDS} signed records on SQLite, appended one transaction each through \`AuditTrail\`
(${(appendMs / RECORDS).toFixed(2)} ms per record), then verified by \`verifyAuditTrail\`, the
function \`npm run audit:verify\` runs (HMAC-SHA256 of every record, chain, head).
Machine: ${machineLine()}.

| what | time |
| --- | --- |
| verify ${RECORDS} records, median of 5 (range) | ${median.toFixed(0)} ms (${(rounds[0] ?? 0).toFixed(0)}–${(rounds[4] ?? 0).toFixed(0)}) |
| per record | ${((median * 1000) / RECORDS).toFixed(1)} µs |
| \`npm run audit:verify\` as a command, once (process start and tsx included) | ${cliMs.toFixed(0)} ms |
`;
    writeSection('audit-verify', body);
    process.stdout.write(body);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
