import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { defineEncryptionSuite } from '../../support/encryption-suite.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer } from '../../support/test-server.js';

const dir = tempDir();
after(() => dir.remove());
const file = join(dir.path, 'test.db');

defineEncryptionSuite('SQLite', {
  skip: () => Promise.resolve(undefined),
  start: (env) => startTestServer(env, dir.path),
  // The database file with its write-ahead log: every byte SQLite has written.
  raw: () =>
    Promise.resolve(
      [file, `${file}-wal`]
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path).toString('latin1'))
        .join('\n'),
    ),
  databaseUrl: `sqlite:${file}`,
});
