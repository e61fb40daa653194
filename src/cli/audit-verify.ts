/**
 * `npm run audit:verify` (in the image: `node dist/src/cli/audit-verify.js`): walks the audit
 * chain with AUDIT_SECRET (and AUDIT_SECRET_PREVIOUS for the segment before a rotation) and
 * names the first record that was edited, deleted, inserted, reordered or left unsigned. With
 * AUDIT_ANCHOR_FILE it also checks the trail still holds the record the last successful
 * verification anchored, and moves the anchor to the current last record.
 * Exit codes: 0 the chain is intact, 1 it is not (or cannot be verified), 2 bad configuration.
 */
import {
  auditKeyId,
  createAnchor,
  readAnchor,
  verifyAuditTrail,
  writeAnchor,
  type VerifiedHead,
} from '../audit/index.js';
import { cliConfig, openCliDatabase } from './cli-database.js';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<number> {
  const config = cliConfig();
  const { auditSecret, auditSecretPrevious, auditAnchorFile } = config.secrets;
  if (auditAnchorFile !== undefined && auditSecret === undefined) {
    process.stderr.write('AUDIT_ANCHOR_FILE needs AUDIT_SECRET (the anchor is signed with it)\n');
    return 2;
  }
  const anchor = auditAnchorFile === undefined ? undefined : readAnchor(auditAnchorFile);
  const database = await openCliDatabase(config);
  try {
    const started = performance.now();
    let head: VerifiedHead | undefined;
    const report = await verifyAuditTrail(
      database.db,
      { current: auditSecret, previous: auditSecretPrevious },
      { ...(anchor === undefined ? {} : { anchor }), onHead: (h) => (head = h) },
    );
    const ms = (performance.now() - started).toFixed(0);
    if (report.problem !== undefined) {
      out(
        `TAMPERED: record ${report.problem.seq} ${report.problem.kind}: ${report.problem.message}`,
      );
      return 1;
    }
    out(
      `OK: ${report.records} audit records verified in ${ms} ms (${report.segments} signed segment(s))`,
    );
    if (report.unsigned > 0) {
      out(
        `WARNING: ${report.unsigned} records are unsigned (written without AUDIT_SECRET): ` +
          'their chain shows accidental damage, not deliberate edits',
      );
    }
    if (auditAnchorFile !== undefined && auditSecret !== undefined && head !== undefined) {
      writeAnchor(
        auditAnchorFile,
        createAnchor(head, report.records, auditKeyId(auditSecret), auditSecret, new Date()),
      );
      out(`anchored at record ${head.seq} in ${auditAnchorFile}`);
    } else if (auditSecret !== undefined) {
      out('NOTE: set AUDIT_ANCHOR_FILE to detect a trail that is wiped and then restarted');
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
