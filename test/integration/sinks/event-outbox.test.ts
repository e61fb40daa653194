import { connectDatabase } from '../../../src/db/index.js';
import { defineOutboxSuite } from '../../support/outbox-suite.js';

defineOutboxSuite('SQLite', () => connectDatabase('sqlite::memory:'));
