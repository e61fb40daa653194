/**
 * The database of a store contract suite: registers hooks that open it (or keep the reason it
 * cannot be opened, such as PostgreSQL missing outside REQUIRE_SYSTEM), migrate it and close it.
 * Call inside the suite's `describe`, before the suite's own hooks.
 */
import type { TestContext } from 'node:test';
import { after, before } from 'node:test';
import { migrateToLatest, type DatabaseHandle } from '../../src/db/index.js';

export interface SuiteDatabase {
  /** Whether the database was opened (false when the suite's tests skip). */
  readonly open: boolean;
  /** The open, migrated database. */
  readonly handle: DatabaseHandle;
  /** Skips `t` when the database could not be opened; true when it did. */
  skip(t: TestContext): boolean;
}

export function suiteDatabase(open: () => Promise<DatabaseHandle | string>): SuiteDatabase {
  let handle: DatabaseHandle | undefined;
  let skipReason: string | undefined;
  before(async () => {
    const opened = await open();
    if (typeof opened === 'string') {
      skipReason = opened;
      return;
    }
    handle = opened;
    await migrateToLatest(handle.db, handle.schema);
  });
  after(async () => {
    await handle?.close();
  });
  return {
    get open() {
      return handle !== undefined;
    },
    get handle() {
      if (handle === undefined) throw new Error(`The database is not open: ${skipReason ?? ''}`);
      return handle;
    },
    skip(t) {
      if (skipReason === undefined) return false;
      t.skip(skipReason);
      return true;
    },
  };
}
