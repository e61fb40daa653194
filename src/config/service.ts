/** The process and its HTTP listener: environment, address, body limits, start and shutdown. */
import { z } from 'zod';
import { bool, defineSlice, port, positiveInt, text, variable } from './variable.js';

export const service = defineSlice({
  title: 'Service',
  env: {
    NODE_ENV: variable(
      z.enum(['development', 'production', 'test'], {
        error: 'must be development, production or test',
      }),
      {
        default: 'development',
        description:
          '`development`, `production` or `test`; production refuses the guide’s placeholder secrets and wrong-length keys.',
      },
    ),
    HOST: variable(text(), {
      default: '127.0.0.1',
      description: 'Interface to listen on (`0.0.0.0` inside a container).',
    }),
    PORT: variable(port(), {
      default: '3001',
      description: 'HTTP port of the API and the web UI.',
    }),
    BODY_LIMIT_BYTES: variable(positiveInt(), {
      default: '1048576',
      description: 'Largest accepted request body in bytes; larger bodies get 413.',
    }),
    IMPORT_BODY_LIMIT_BYTES: variable(positiveInt(), {
      default: '67108864',
      description:
        'Largest body of a bulk test-case import (JSON array, JSONL or CSV; up to 100,000 rows); larger → 413.',
    }),
    SEED_SAMPLES: variable(bool(), {
      default: 'true',
      description: 'Insert sample prompt cards into an empty database at first start.',
    }),
    SHUTDOWN_TIMEOUT_MS: variable(positiveInt(), {
      default: '10000',
      description: 'How long a graceful shutdown waits for in-flight requests and model calls.',
    }),
    SHUTDOWN_DRAIN_MS: variable(
      z.coerce
        .number({ error: 'must be a number' })
        .int('must be an integer')
        .min(0, 'must be at least 0'),
      {
        default: '5000',
        description:
          'After SIGTERM, how long `/ready` answers 503 while requests are still served (`Connection: close`) before the listener closes; 0 = none.',
      },
    ),
  },
  config: (e) => ({
    nodeEnv: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    /** Largest body of a bulk test-case import (JSON array, JSONL or CSV). */
    importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
    seedSamples: e.SEED_SAMPLES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    /** SIGTERM → this long with `/ready` 503 while requests are still served, then close. */
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
  }),
});
