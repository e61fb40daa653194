import { defineAnalyticsStoreSuite } from '../../support/analytics-store-suite.js';
import { postgresSchemaDatabase } from '../../support/postgres-schema.js';

defineAnalyticsStoreSuite('PostgreSQL', postgresSchemaDatabase());
