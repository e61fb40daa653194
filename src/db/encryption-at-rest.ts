/**
 * The columns encrypted at rest, the start-up key check and the re-encryption after a rotation.
 * Card titles, descriptions and tags stay plaintext so that search (`?q=`, `?tag=`) keeps
 * working in SQL (and template variable names, which are derived); everything else that can
 * hold customer data is listed here.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { EncryptionKeyError, type FieldCipher, storedKeyId } from './field-cipher.js';
import { isUniqueViolation } from './unique-violation.js';

export const ENCRYPTED_COLUMNS = [
  { table: 'prompt_cards', columns: ['prompt_template'] },
  { table: 'test_cases', columns: ['input_variables', 'expected_output', 'assertions'] },
  {
    table: 'run_results',
    columns: [
      'rendered_prompt',
      'output',
      'error_message',
      'assertion_results',
      'refusal',
      'reasoning',
    ],
  },
  { table: 'runs', columns: ['error'] },
  { table: 'prompt_card_versions', columns: ['prompt_template'], keys: ['card_id', 'version'] },
  { table: 'result_ratings', columns: ['comment'], keys: ['result_id'] },
  { table: 'online_eval_rules', columns: ['assertions'] },
  {
    table: 'online_evaluations',
    columns: ['input_text', 'output_text', 'variables', 'assertion_results'],
  },
] as const;

/** The primary key columns of a table in ENCRYPTED_COLUMNS (`id` unless it says). */
function keysOf(entry: (typeof ENCRYPTED_COLUMNS)[number]): readonly string[] {
  return 'keys' in entry ? entry.keys : ['id'];
}

const CHECK_TEXT = 'prompt-card-system encryption check';
const CHECK_FIELD = 'encryption_check.value';

/**
 * Fails loudly (EncryptionKeyError) when the configured key is not the one the data was
 * encrypted with, or when the data is encrypted and no key is set; stores the check value the
 * first time a key is used.
 */
export async function checkEncryptionKey(db: Kysely<Database>, cipher: FieldCipher): Promise<void> {
  const row = await db
    .selectFrom('encryption_check')
    .select('value')
    .where('id', '=', 'check')
    .executeTakeFirst();
  if (row === undefined) {
    if (!cipher.enabled) return;
    try {
      await db
        .insertInto('encryption_check')
        .values({ id: 'check', value: cipher.encrypt(CHECK_TEXT, CHECK_FIELD) })
        .execute();
    } catch (error) {
      // Another instance stored it first: check against that one.
      if (!isUniqueViolation(error)) throw error;
      await checkEncryptionKey(db, cipher);
    }
    return;
  }
  const keyId = storedKeyId(row.value) ?? '?';
  if (!cipher.enabled) {
    throw new EncryptionKeyError(
      `The database holds data encrypted with key ${keyId}: set METRICS_ENCRYPTION_KEY`,
    );
  }
  if (!cipher.knows(keyId)) {
    throw new EncryptionKeyError(
      `METRICS_ENCRYPTION_KEY is not the key this database was encrypted with (key id ${keyId}); ` +
        'during a rotation set the old key as METRICS_ENCRYPTION_KEY_PREVIOUS',
    );
  }
  if (cipher.decrypt(row.value, CHECK_FIELD) !== CHECK_TEXT) {
    throw new EncryptionKeyError('The stored encryption check value does not match');
  }
}

export interface RotationReport {
  /** Values re-encrypted with the current key (old key or plaintext before). */
  readonly reencrypted: number;
  readonly rows: number;
}

const PAGE = 500;

/**
 * Re-encrypts every value of ENCRYPTED_COLUMNS that is not under the current key (rows written
 * under METRICS_ENCRYPTION_KEY_PREVIOUS, or plaintext from before encryption was on), page by
 * page, then stores the check value under the current key: the previous key is no longer needed.
 */
export async function rotateEncryption(
  db: Kysely<Database>,
  cipher: FieldCipher,
): Promise<RotationReport> {
  if (!cipher.enabled) throw new EncryptionKeyError('METRICS_ENCRYPTION_KEY is not set');
  await checkEncryptionKey(db, cipher);
  let reencrypted = 0;
  let rows = 0;
  for (const entry of ENCRYPTED_COLUMNS) {
    const { table, columns } = entry;
    const keys = keysOf(entry);
    const keyList = sql.join(keys.map((k) => sql.ref(k)));
    // Pages in key order; a composite key pages by row value, which both databases compare.
    for (let after: readonly (string | number)[] | undefined; ;) {
      const from =
        after === undefined ? sql`` : sql`where (${keyList}) > (${sql.join([...after])})`;
      const page = await sql<Record<string, string | number | null>>`
        select ${sql.join([...keys, ...columns].map((c) => sql.ref(c)))}
        from ${sql.table(table)} ${from}
        order by ${keyList} limit ${PAGE}`.execute(db);
      // Counted once committed: the callback runs again when its connection died before COMMIT.
      reencrypted += await db.transaction().execute(async (trx) => {
        let changed = 0;
        for (const row of page.rows) {
          const changes = columns.flatMap((column) => {
            const value = row[column];
            if (typeof value !== 'string' || storedKeyId(value) === cipher.currentKeyId) return [];
            const field = `${table}.${column}`;
            return [
              sql`${sql.ref(column)} = ${cipher.encrypt(cipher.decrypt(value, field), field)}`,
            ];
          });
          if (changes.length === 0) continue;
          changed += changes.length;
          const match = sql.join(
            keys.map((k) => sql`${sql.ref(k)} = ${row[k] ?? ''}`),
            sql` and `,
          );
          await sql`update ${sql.table(table)} set ${sql.join(changes)} where ${match}`.execute(
            trx,
          );
        }
        return changed;
      });
      rows += page.rows.length;
      const last = page.rows[page.rows.length - 1];
      if (page.rows.length < PAGE || last === undefined) break;
      after = keys.map((k) => last[k] ?? '');
    }
  }
  await db
    .updateTable('encryption_check')
    .set({ value: cipher.encrypt(CHECK_TEXT, CHECK_FIELD) })
    .where('id', '=', 'check')
    .execute();
  return { reencrypted, rows };
}
