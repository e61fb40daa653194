/**
 * Secrets of the bundled monitoring stack that only `docker-compose.monitoring.yml` reads (from
 * `.env`): the service never holds them, so they add nothing to `Config`.
 */
import { z } from 'zod';
import { defineSlice, variable } from './variable.js';

export const stack = defineSlice({
  title: 'Monitoring stack (docker-compose.monitoring.yml only)',
  readBy: 'docker compose',
  env: {
    POSTGRES_PASSWORD: variable(z.string(), {
      secret: true,
      description:
        'Password of the compose stack’s PostgreSQL user `prompt`; compose builds the services’ `DATABASE_URL` with it. Required by `docker compose`.',
    }),
    INFLUXDB_ADMIN_PASSWORD: variable(z.string(), {
      secret: true,
      description:
        'Password of the compose stack’s InfluxDB 2 admin user (set up on its first start). Required by `docker compose`.',
    }),
  },
  config: () => ({}),
});
