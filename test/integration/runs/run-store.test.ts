import { join } from 'node:path';
import { after } from 'node:test';
import { connectDatabase } from '../../../src/db/index.js';
import { defineRunStoreSuite } from '../../support/run-store-suite.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());
defineRunStoreSuite('SQLite', () => connectDatabase(`sqlite:${join(dir.path, 'store.db')}`));
