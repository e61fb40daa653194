/**
 * Schema migrations, applied in name order at start by Kysely's Migrator, which records what
 * it applied (so running them again changes nothing) and takes a lock so that several
 * instances starting together migrate once. Only portable types are used: the same
 * migrations build the SQLite and the PostgreSQL schema.
 */
import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';

// Kysely's migration API passes `Kysely<any>`: a migration must not depend on the current
// shape of `Database`, which later migrations change.
/* eslint-disable @typescript-eslint/no-explicit-any */
const migrations: Record<string, Migration> = {
  '0001-cards-and-test-cases': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('prompt_cards')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('prompt_template', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('variables', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('prompt_cards_created_at')
        .on('prompt_cards')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema
        .createTable('prompt_card_tags')
        .addColumn('card_id', 'text', (c) =>
          c.notNull().references('prompt_cards.id').onDelete('cascade'),
        )
        .addColumn('tag', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('prompt_card_tags_pk', ['card_id', 'tag'])
        .execute();
      await db.schema
        .createIndex('prompt_card_tags_tag')
        .on('prompt_card_tags')
        .column('tag')
        .execute();
      await db.schema
        .createTable('test_cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('prompt_card_id', 'text', (c) =>
          c.notNull().references('prompt_cards.id').onDelete('cascade'),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('input_variables', 'text', (c) => c.notNull())
        .addColumn('expected_output', 'text')
        .addColumn('assertions', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('test_cases_card')
        .on('test_cases')
        .columns(['prompt_card_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('test_cases').execute();
      await db.schema.dropTable('prompt_card_tags').execute();
      await db.schema.dropTable('prompt_cards').execute();
    },
  },
  '0002-runs-and-results': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('prompt_card_id', 'text', (c) =>
          c.notNull().references('prompt_cards.id').onDelete('cascade'),
        )
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('models', 'text', (c) => c.notNull())
        .addColumn('test_case_ids', 'text', (c) => c.notNull())
        .addColumn('concurrency', 'integer', (c) => c.notNull())
        .addColumn('repeat', 'integer', (c) => c.notNull())
        .addColumn('total_items', 'integer', (c) => c.notNull())
        .addColumn('user_category', 'text', (c) => c.notNull().defaultTo('anonymous'))
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('runs_card')
        .on('runs')
        .columns(['prompt_card_id', 'created_at'])
        .execute();
      await db.schema.createIndex('runs_status').on('runs').column('status').execute();
      await db.schema
        .createTable('run_results')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('test_case_id', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('repetition', 'integer', (c) => c.notNull())
        .addColumn('rendered_prompt', 'text', (c) => c.notNull())
        .addColumn('output', 'text')
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('input_tokens', 'integer')
        .addColumn('output_tokens', 'integer')
        .addColumn('cost_usd', 'double precision')
        .addColumn('assertion_results', 'text', (c) => c.notNull())
        .addColumn('score', 'double precision', (c) => c.notNull())
        .addColumn('passed', 'integer', (c) => c.notNull())
        .addColumn('error_type', 'text')
        .addColumn('error_message', 'text')
        .addColumn('simulated', 'integer', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // One result per item: a resumed run can never record the same item twice.
        .addUniqueConstraint('run_results_item', ['run_id', 'test_case_id', 'model', 'repetition'])
        .execute();
      await db.schema
        .createIndex('run_results_run')
        .on('run_results')
        .columns(['run_id', 'created_at'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('run_results').execute();
      await db.schema.dropTable('runs').execute();
    },
  },
  '0003-alerts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alerts')
        .addColumn('fingerprint', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text')
        .addColumn('runbook_url', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('alerts_status')
        .on('alerts')
        .columns(['status', 'severity'])
        .execute();
      await db.schema
        .createTable('alert_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_events_at').on('alert_events').column('at').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('alert_events').execute();
      await db.schema.dropTable('alerts').execute();
    },
  },
  '0004-card-pass-rate-threshold': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('prompt_cards')
        .addColumn('pass_rate_threshold', 'double precision')
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('prompt_cards').dropColumn('pass_rate_threshold').execute();
    },
  },
  // Times are epoch milliseconds in double precision: exact to the millisecond for millennia,
  // and returned as numbers by both drivers (pg returns bigint as a string).
  '0005-analytics': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('analytics_samples')
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('ts', 'double precision', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_samples_pk', ['series', 'ts'])
        .execute();
      await db.schema
        .createTable('analytics_rollups')
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('ts', 'double precision', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('sum', 'double precision', (c) => c.notNull())
        .addColumn('min', 'double precision', (c) => c.notNull())
        .addColumn('max', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('analytics_rollups_pk', ['series', 'ts'])
        .execute();
      await db.schema
        .createTable('analytics_anomalies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('series', 'text', (c) => c.notNull())
        .addColumn('ts', 'double precision', (c) => c.notNull())
        .addColumn('value', 'double precision', (c) => c.notNull())
        .addColumn('expected', 'double precision', (c) => c.notNull())
        .addColumn('score', 'double precision', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('analytics_anomalies_ts')
        .on('analytics_anomalies')
        .columns(['ts', 'series'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('analytics_anomalies').execute();
      await db.schema.dropTable('analytics_rollups').execute();
      await db.schema.dropTable('analytics_samples').execute();
    },
  },
};
/* eslint-enable @typescript-eslint/no-explicit-any */

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/**
 * Applies every pending migration; throws with the failing migration's name on error. `schema`
 * (PostgreSQL) keeps Kysely's bookkeeping tables in that schema: Kysely looks for them in every
 * schema, so without it a `kysely_migration_lock` in another schema would be taken as present.
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined) {
    const where = failed === undefined ? '' : ` (in ${failed.migrationName})`;
    throw new Error(`Database migration failed${where}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Cheap liveness query used by health checks and tests. */
export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
