import { join } from 'node:path';
import { after } from 'node:test';
import { connectDatabase } from '../../../src/db/index.js';
import { defineAnalyticsStoreSuite } from '../../support/analytics-store-suite.js';
import { tempDir } from '../../support/temp-dir.js';

const dir = tempDir();
after(() => dir.remove());

defineAnalyticsStoreSuite('SQLite', () =>
  connectDatabase(`sqlite:${join(dir.path, 'analytics.db')}`),
);
