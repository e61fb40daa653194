import { defineCardStoreSuite } from '../../support/card-store-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineCardStoreSuite('PostgreSQL', postgresSchemaDatabase());
