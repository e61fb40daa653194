/** The process and its HTTP listener: environment, address, body limits, start and shutdown. */
import { z } from 'zod';
import { bool, defineSlice, intBetween, port, positiveInt, text, variable } from './variable.js';

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
    HTTP_REQUEST_TIMEOUT_MS: variable(intBetween(1000, 3_600_000), {
      default: '120000',
      description:
        'How long a client may take to send a whole request, headers and body (ms); a slower one gets 408 and its connection is closed (a client trickling a body cannot hold a connection for ever).',
    }),
    HTTP_HEADERS_TIMEOUT_MS: variable(intBetween(1000, 3_600_000), {
      default: '20000',
      description:
        'How long a client may take to send a request’s headers (ms); at most HTTP_REQUEST_TIMEOUT_MS.',
    }),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: variable(intBetween(0, 3_600_000), {
      default: '65000',
      description:
        'How long an idle kept-alive connection stays open (ms). Behind a load balancer keep it above the balancer’s idle timeout (60 s on AWS ALB and most proxies), so the server never closes a connection the balancer is sending a request on; 0 = no keep-alive.',
    }),
    WS_MAX_BUFFERED_BYTES: variable(intBetween(65_536, 1_073_741_824), {
      default: '16777216',
      description:
        'The most bytes queued for one progress WebSocket whose client does not read; past it the socket is closed (code 1013) and counted in `websocket_connections_terminated_total{reason="slow_consumer"}`.',
    }),
    WS_HEARTBEAT_INTERVAL_MS: variable(intBetween(100, 3_600_000), {
      default: '30000',
      description:
        'Every this many ms each progress WebSocket is pinged; one that has not answered the previous ping is terminated (`reason="missed_pong"`), so a dead peer is noticed within two intervals.',
    }),
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
    /** Node's http.Server timeouts, in ms (requestTimeout, headersTimeout, keepAliveTimeout). */
    http: {
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: Math.min(e.HTTP_HEADERS_TIMEOUT_MS, e.HTTP_REQUEST_TIMEOUT_MS),
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    /** The progress WebSocket: per-socket send buffer bound (bytes) and ping interval (ms). */
    websocket: {
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      heartbeatIntervalMs: e.WS_HEARTBEAT_INTERVAL_MS,
    },
  }),
});
