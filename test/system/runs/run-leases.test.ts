import { defineLeaseSuite } from '../../support/lease-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineLeaseSuite('PostgreSQL', postgresSchemaDatabase());
