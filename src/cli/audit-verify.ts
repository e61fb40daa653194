/**
 * `npm run audit:verify` (in the image: `node dist/src/cli/audit-verify.js`): walks the audit
 * chain with AUDIT_SECRET (and AUDIT_SECRET_PREVIOUS for the segment before a rotation) and
 * names the first record that was edited, deleted, inserted or reordered.
 * Exit codes: 0 the chain is intact, 1 it is not (or cannot be verified), 2 bad configuration.
 */
import { verifyAuditTrail } from '../audit/index.js';
import { cliConfig, openCliDatabase } from './cli-database.js';

async function main(): Promise<number> {
  const config = cliConfig();
  const database = await openCliDatabase(config);
  try {
    const started = performance.now();
    const report = await verifyAuditTrail(database.db, {
      current: config.secrets.auditSecret,
      previous: config.secrets.auditSecretPrevious,
    });
    const ms = (performance.now() - started).toFixed(0);
    if (report.problem !== undefined) {
      process.stdout.write(
        `TAMPERED: record ${report.problem.seq} ${report.problem.kind}: ${report.problem.message}\n`,
      );
      return 1;
    }
    process.stdout.write(
      `OK: ${report.records} audit records verified in ${ms} ms (${report.segments} signed segment(s))\n`,
    );
    if (report.unsigned > 0) {
      process.stdout.write(
        `WARNING: ${report.unsigned} records are unsigned (written without AUDIT_SECRET): ` +
          'their chain shows accidental damage, not deliberate edits\n',
      );
    }
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
