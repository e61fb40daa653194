import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer } from '../../support/test-server.js';
import { defineUrlSecretSuite } from '../../support/url-secret-suite.js';

const dir = tempDir();
after(() => dir.remove());
const file = join(dir.path, 'test.db');

defineUrlSecretSuite('SQLite', {
  skip: () => Promise.resolve(undefined),
  start: (env, logger) => startTestServer(env, dir.path, { logger }),
  // The database file with its write-ahead log: every byte SQLite has written.
  raw: () =>
    Promise.resolve(
      [file, `${file}-wal`]
        .filter((path) => existsSync(path))
        .map((path) => readFileSync(path).toString('latin1'))
        .join('\n'),
    ),
});
