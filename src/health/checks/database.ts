import type { Kysely } from 'kysely';
import { pingDatabase } from '../../db/index.js';
import type { HealthCheck } from '../health-check.js';

/** A real query (`select 1`) on the service's database. Critical. */
export function databaseCheck<DB>(db: Kysely<DB>, kind: string): HealthCheck {
  return {
    name: 'database',
    critical: true,
    async run() {
      try {
        await pingDatabase(db);
        return { status: 'pass', observed: { kind, query: 'select 1' } };
      } catch (error) {
        return {
          status: 'fail',
          observed: { kind },
          message: error instanceof Error ? error.message : String(error),
        };
      }
    },
  };
}
