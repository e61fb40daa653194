import { defineAuditTamperSuite } from '../../support/audit-tamper-suite.js';
import { connectDatabase } from '../../../src/db/index.js';
import { postgresSchemaDatabase, postgresSchemaUrl } from '../../support/postgres-schema.js';
import { POSTGRES_URL } from '../../support/system.js';

const open = postgresSchemaDatabase();
defineAuditTamperSuite(
  'PostgreSQL',
  open,
  () => postgresSchemaUrl(open),
  () => connectDatabase(POSTGRES_URL, { postgresSchema: open.schema }),
);
