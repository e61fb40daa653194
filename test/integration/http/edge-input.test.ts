import { edgeInputSuite } from '../../support/edge-input-suite.js';
import { startTestServer } from '../../support/test-server.js';

edgeInputSuite('SQLite', () => startTestServer({ ENABLE_ADVANCED_ANALYTICS: 'true' }));
