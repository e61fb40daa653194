import { edgeInputSuite } from '../../support/edge-input-suite.js';
import { startPostgresTestServer } from '../../support/postgres-server.js';

edgeInputSuite('PostgreSQL', () => startPostgresTestServer({ ENABLE_ADVANCED_ANALYTICS: 'true' }));
