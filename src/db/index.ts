export { connectDatabase, sqlitePathFromUrl } from './connect.js';
export type { DatabaseHandle, DatabaseKind } from './connect.js';
export { migrateToLatest, pingDatabase } from './migrations.js';
export type * from './schema.js';
export { isUniqueViolation } from './unique-violation.js';
export { isDatabaseUnavailable } from './database-unavailable.js';
export { storableText } from './storable-text.js';
