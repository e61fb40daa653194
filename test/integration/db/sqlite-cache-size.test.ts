import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { connectDatabase } from '../../../src/db/index.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());

/** `cache_size` as the reader (a read outside a transaction) and the writer (inside one) see it. */
async function cacheSizes(db: Kysely<unknown>): Promise<{ reader: number; writer: number }> {
  const read = sql<{ cache_size: number }>`select cache_size from pragma_cache_size()`;
  const reader = (await read.execute(db)).rows[0]?.cache_size ?? Number.NaN;
  const writer = await db
    .transaction()
    .execute(async (trx) => (await read.execute(trx)).rows[0]?.cache_size ?? Number.NaN);
  return { reader, writer };
}

describe('SQLite page cache per connection (SQLITE_CACHE_SIZE_KIB)', () => {
  it('sets cache_size in KiB on the writer and on the reader', async () => {
    const handle = await connectDatabase(`sqlite:${join(dir.path, 'small.db')}`, {
      sqliteCacheSizeKib: 2000,
    });
    try {
      assert.deepEqual(await cacheSizes(handle.db as Kysely<unknown>), {
        reader: -2000,
        writer: -2000,
      });
    } finally {
      await handle.close();
    }
  });

  it('keeps 16,000 KiB per connection by default', async () => {
    const handle = await connectDatabase(`sqlite:${join(dir.path, 'default.db')}`);
    try {
      assert.deepEqual(await cacheSizes(handle.db as Kysely<unknown>), {
        reader: -16000,
        writer: -16000,
      });
    } finally {
      await handle.close();
    }
  });
});
