/**
 * True when a database error means "the database cannot serve now" rather than "this query is
 * wrong": the API answers those 503 `PCS_ERR_DATABASE_UNAVAILABLE` and `/ready` reports them.
 * Sources: PostgreSQL SQLSTATE classes 08 (connection exception), 53 (insufficient resources),
 * 57P01–57P03 (shutdown, crash, cannot connect now) and 57014 (statement_timeout); node-postgres'
 * own connect and query timeouts and lost connections; socket errors; SQLite's SQLITE_BUSY.
 */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014']);
const PG_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'connection timeout',
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (error instanceof AggregateError && error.errors.some(isDatabaseUnavailable)) return true;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined) {
    if (code === '53100') return false; // disk_full: isDatabaseFull, answered 507
    if (SOCKET_CODES.has(code) || SQLSTATES.has(code)) return true;
    if (/^(08|53)[0-9A-Z]{3}$/.test(code)) return true;
    if (code.startsWith('SQLITE_BUSY')) return true;
  }
  const message = error instanceof Error ? error.message : '';
  return PG_MESSAGES.some((known) => message.includes(known));
}
