/**
 * True when a write failed because the database has no room left: SQLite's SQLITE_FULL (the
 * disk, or the file reached `max_page_count`) and PostgreSQL's SQLSTATE 53100 `disk_full`.
 * The API answers those 507 `PCS_ERR_DATABASE_FULL` (not "unavailable": reads still work, and
 * retrying the same write will not help until space is freed).
 */
export function isDatabaseFull(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof AggregateError && error.errors.some(isDatabaseFull)) return true;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return code === 'SQLITE_FULL' || code === '53100';
}
