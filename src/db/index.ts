export { connectDatabase, sqlitePathFromUrl } from './connect.js';
export type { DatabaseHandle, DatabaseKind } from './connect.js';
export { migrateToLatest, pingDatabase } from './migrations.js';
export type * from './schema.js';
export { isUniqueViolation } from './unique-violation.js';
export {
  encryptionKeyBytes,
  encryptionKeyId,
  EncryptionKeyError,
  FieldCipher,
  isEncrypted,
  PLAINTEXT,
  storedKeyId,
} from './field-cipher.js';
export {
  checkEncryptionKey,
  ENCRYPTED_COLUMNS,
  rotateEncryption,
  type RotationReport,
} from './encryption-at-rest.js';
export { isDatabaseUnavailable } from './database-unavailable.js';
export { isDatabaseFull } from './database-full.js';
export { storableText } from './storable-text.js';
export { keyAfter, keyAtLeast, keyAtMost } from './keyset.js';
export { isConnectionLost } from './postgres-retry-dialect.js';
