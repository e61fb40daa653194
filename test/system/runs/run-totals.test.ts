import { defineRunTotalsSuite } from '../../support/run-totals-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineRunTotalsSuite('PostgreSQL', postgresSchemaDatabase());
