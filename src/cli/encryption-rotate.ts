/**
 * `npm run encryption:rotate` (in the image: `node dist/src/cli/encryption-rotate.js`):
 * re-encrypts every encrypted column with METRICS_ENCRYPTION_KEY — rows written under
 * METRICS_ENCRYPTION_KEY_PREVIOUS, and plaintext rows from before encryption was on — then
 * stores the key check under the new key. Afterwards METRICS_ENCRYPTION_KEY_PREVIOUS can go.
 * Safe to run while the service runs (rows are rewritten one page per transaction) and to run
 * again. Exit codes: 0 done, 1 failure, 2 bad configuration or wrong key.
 */
import { EncryptionKeyError, FieldCipher, rotateEncryption } from '../db/index.js';
import { cliConfig, openCliDatabase } from './cli-database.js';

async function main(): Promise<number> {
  const config = cliConfig();
  const database = await openCliDatabase(config);
  try {
    const cipher = new FieldCipher(
      config.secrets.metricsEncryptionKey,
      config.secrets.metricsEncryptionKeyPrevious,
    );
    const started = performance.now();
    const report = await rotateEncryption(database.db, cipher);
    process.stdout.write(
      `Re-encrypted ${report.reencrypted} values in ${report.rows} rows with key ` +
        `${cipher.currentKeyId ?? ''} in ${(performance.now() - started).toFixed(0)} ms; ` +
        'METRICS_ENCRYPTION_KEY_PREVIOUS is no longer needed\n',
    );
    return 0;
  } catch (error) {
    if (error instanceof EncryptionKeyError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
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
