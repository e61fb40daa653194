/**
 * The WHERE clause of a keyset page: rows whose sort key (`columns`, compared as a row value)
 * comes after `key` in the list's `direction`. With an index on the list's filter columns
 * followed by `columns`, both SQLite (3.15+) and PostgreSQL read a page as one index range.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { CursorKey } from '../util/index.js';

export function keyAfter(
  columns: readonly string[],
  key: CursorKey,
  direction: 'asc' | 'desc',
): Expression<SqlBool> {
  const refs = sql.join(columns.map((column) => sql.ref(column)));
  const values = sql.join(key.map((value) => sql.val(value)));
  return direction === 'asc'
    ? sql<SqlBool>`(${refs}) > (${values})`
    : sql<SqlBool>`(${refs}) < (${values})`;
}

/**
 * The WHERE clauses that bound a keyset range inclusively: rows whose sort key (`columns`,
 * compared as a row value) is at or after (`>=`) or at or before (`<=`) `key` in ascending
 * order. Both databases read such a range as one range of the list's index.
 */
export function keyAtLeast(columns: readonly string[], key: CursorKey): Expression<SqlBool> {
  return keyCompare(columns, key, sql`>=`);
}

export function keyAtMost(columns: readonly string[], key: CursorKey): Expression<SqlBool> {
  return keyCompare(columns, key, sql`<=`);
}

function keyCompare(
  columns: readonly string[],
  key: CursorKey,
  operator: RawBuilder<unknown>,
): Expression<SqlBool> {
  const refs = sql.join(columns.map((column) => sql.ref(column)));
  const values = sql.join(key.map((value) => sql.val(value)));
  return sql<SqlBool>`(${refs}) ${operator} (${values})`;
}
