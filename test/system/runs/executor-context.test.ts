import { defineExecutorContextSuite } from '../../support/executor-context-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineExecutorContextSuite('PostgreSQL', postgresSchemaDatabase());
