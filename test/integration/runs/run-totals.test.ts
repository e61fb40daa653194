import { join } from 'node:path';
import { after } from 'node:test';
import { connectDatabase } from '../../../src/db/index.js';
import { defineRunTotalsSuite } from '../../support/run-totals-suite.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());
defineRunTotalsSuite('SQLite', () => connectDatabase(`sqlite:${join(dir.path, 'totals.db')}`));
