import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { defineEncryptionSuite } from '../../support/encryption-suite.js';
import { startMain } from '../../support/main-process.js';
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

describe('a wrong METRICS_ENCRYPTION_KEY at start-up', () => {
  it('stops the process with exit code 2 and says which variable', async () => {
    const own = tempDir();
    const env = {
      PORT: '0',
      DATABASE_URL: `sqlite:${join(own.path, 'k.db')}`,
      SEED_SAMPLES: 'false',
    };
    try {
      const first = startMain({ ...env, METRICS_ENCRYPTION_KEY: 'a'.repeat(64) });
      await first.url();
      first.child.kill('SIGTERM');
      assert.equal(await first.exited, 0);
      const wrong = startMain({ ...env, METRICS_ENCRYPTION_KEY: 'b'.repeat(64) });
      assert.equal(await wrong.exited, 2);
      assert.match(
        wrong.output().stderr,
        /Invalid configuration:\n {2}METRICS_ENCRYPTION_KEY is not/,
      );
    } finally {
      own.remove();
    }
  });
});
