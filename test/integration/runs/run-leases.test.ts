import { join } from 'node:path';
import { after } from 'node:test';
import { connectDatabase } from '../../../src/db/index.js';
import { defineLeaseSuite } from '../../support/lease-suite.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());

defineLeaseSuite('SQLite', () => connectDatabase(`sqlite:${join(dir.path, 'leases.db')}`));
