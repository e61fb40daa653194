import { join } from 'node:path';
import { after } from 'node:test';
import { connectDatabase } from '../../../src/db/index.js';
import { defineExecutorContextSuite } from '../../support/executor-context-suite.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());

defineExecutorContextSuite('SQLite', () =>
  connectDatabase(`sqlite:${join(dir.path, 'context.db')}`),
);
