import { defineOutboxSuite } from '../../support/outbox-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineOutboxSuite('PostgreSQL', postgresSchemaDatabase());
