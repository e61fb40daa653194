import { defineAuditTamperSuite } from '../../support/audit-tamper-suite.js';
import { postgresSchemaDatabase, postgresSchemaUrl } from '../../support/postgres-schema.js';

const open = postgresSchemaDatabase();
defineAuditTamperSuite('PostgreSQL', open, () => postgresSchemaUrl(open));
