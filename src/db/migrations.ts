/**
 * Schema migrations, applied in name order at start by Kysely's Migrator, which records what
 * it applied (so running them again changes nothing) and takes a lock so that several
 * instances starting together migrate once. Only portable types are used: the same
 * migrations build the SQLite and the PostgreSQL schema.
 */
import {
  Kysely,
  Migrator,
  PostgresAdapter,
  sql,
  type ColumnDefinitionBuilder,
  type Migration,
  type MigrationProvider,
} from 'kysely';

// Kysely's migration API passes `Kysely<any>`: a migration must not depend on the current
// shape of `Database`, which later migrations change.
/* eslint-disable @typescript-eslint/no-explicit-any */
/** Keyset pages: each list's filter, then its sort key and id (prompt_cards_created_at exists). */
const KEYSET_INDEXES = [
  ['run_results_page', 'run_results', ['run_id', 'created_at', 'id']],
  ['runs_card_page', 'runs', ['prompt_card_id', 'created_at', 'id']],
  ['test_cases_card_page', 'test_cases', ['prompt_card_id', 'created_at', 'id']],
  ['alert_events_page', 'alert_events', ['at', 'id']],
] as const;
const SUPERSEDED_INDEXES = [
  ['run_results_run', 'run_results', ['run_id', 'created_at']],
  ['runs_card', 'runs', ['prompt_card_id', 'created_at']],
  ['test_cases_card', 'test_cases', ['prompt_card_id', 'created_at']],
  ['alert_events_at', 'alert_events', ['at']],
] as const;

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
  '0010-api-keys': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('api_keys').execute();
    },
  },
  // Append-only: the service only inserts. `seq` orders the trail; the MAC chain (prev_mac →
  // mac) is what proves the order, so the MAC does not cover `seq`.
  '0010-audit': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('digest', 'text', (c) => c.notNull())
        .addColumn('key_id', 'text')
        .addColumn('prev_mac', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('mac_previous', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema
        .createTable('audit_head')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('head_mac', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('audit_head').execute();
      await db.schema.dropTable('audit_log').execute();
    },
  },
  // One row: a known text encrypted with METRICS_ENCRYPTION_KEY, so a wrong key fails at start.
  '0010-encryption-check': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('encryption_check')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('encryption_check').execute();
    },
  },
  // Whether anything judged an answer, as its own plaintext column: the summary counts the
  // not-judged answers in SQL, which it cannot do from assertion_results once that column is
  // encrypted at rest.
  '0011-result-judged': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('run_results')
        .addColumn('judged', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db
        .updateTable('run_results')
        .set({ judged: 0 })
        .where('error_type', 'is', null)
        .where('assertion_results', '=', '[]')
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('run_results').dropColumn('judged').execute();
    },
  },
  // The transactional outbox: an event row is written in the same transaction as the run state
  // it describes, and a relay publishes it later. `seq` orders delivery (epoch microseconds-ish,
  // exact in double precision); `sent_at` is set once the sink accepted the event.
  '0009-event-outbox': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('event_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'double precision', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .execute();
      await db.schema
        .createIndex('event_outbox_pending')
        .on('event_outbox')
        .columns(['sent_at', 'seq'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('event_outbox').execute();
    },
  },
  '0006-run-leases': {
    // The process executing a run holds its lease: who (an owner id) and until when (epoch
    // milliseconds). Recovery after a crash only takes runs whose lease has expired.
    async up(db: Kysely<any>) {
      await db.schema.alterTable('runs').addColumn('lease_owner', 'text').execute();
      await db.schema
        .alterTable('runs')
        .addColumn('lease_expires_at', 'double precision')
        .execute();
      // On a shared queue a run is split into jobs (items [start, end) of its plan), executed
      // by several workers at once: each job's executor holds a lease of its own.
      await db.schema
        .createTable('run_job_leases')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('start', 'integer', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'double precision', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_job_leases_pk', ['run_id', 'start'])
        .execute();
      // The answer cache: whether a run uses it, and whether a result came from it.
      await db.schema
        .alterTable('runs')
        .addColumn('cache', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('run_results')
        .addColumn('cached', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('run_results').dropColumn('cached').execute();
      await db.schema.alterTable('runs').dropColumn('cache').execute();
      await db.schema.dropTable('run_job_leases').execute();
      await db.schema.alterTable('runs').dropColumn('lease_expires_at').execute();
      await db.schema.alterTable('runs').dropColumn('lease_owner').execute();
    },
  },
  // Every template a card has had, numbered from 1; a run pins the version it started with.
  // Existing cards get their current template as version 1.
  '0008-prompt-versions': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('prompt_card_versions')
        .addColumn('card_id', 'text', (c) =>
          c.notNull().references('prompt_cards.id').onDelete('cascade'),
        )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('prompt_template', 'text', (c) => c.notNull())
        .addColumn('variables', 'text', (c) => c.notNull())
        .addColumn('author', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('prompt_card_versions_pk', ['card_id', 'version'])
        .execute();
      await sql`insert into prompt_card_versions (card_id, version, prompt_template, variables, author, created_at)
        select id, 1, prompt_template, variables, null, updated_at from prompt_cards`.execute(db);
      await db.schema.alterTable('runs').addColumn('prompt_version', 'integer').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('runs').dropColumn('prompt_version').execute();
      await db.schema.dropTable('prompt_card_versions').execute();
    },
  },
  // A person's verdict on one result (thumbs up or down, a comment): what the judge's verdict is
  // measured against. One rating per result; rating again replaces it.
  '0012-web-result-ratings': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('result_ratings')
        .addColumn('result_id', 'text', (c) =>
          c.primaryKey().references('run_results.id').onDelete('cascade'),
        )
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id').onDelete('cascade'))
        .addColumn('thumb', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('author', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('result_ratings_run')
        .on('result_ratings')
        .column('run_id')
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('result_ratings').execute();
    },
  },
  // Keyset pages: one index per list serving its filter then its (sort key, id) order, so a page
  // deep in a 100,000-row list is an index range like the first.
  '0013-keyset-page-indexes': {
    async up(db: Kysely<any>) {
      for (const [name, table, columns] of KEYSET_INDEXES)
        await db.schema
          .createIndex(name)
          .on(table)
          .columns([...columns])
          .execute();
      // Superseded: each is a prefix of the one that replaces it.
      for (const [name] of SUPERSEDED_INDEXES) await db.schema.dropIndex(name).execute();
    },
    async down(db: Kysely<any>) {
      for (const [name, table, columns] of SUPERSEDED_INDEXES)
        await db.schema
          .createIndex(name)
          .on(table)
          .columns([...columns])
          .execute();
      for (const [name] of KEYSET_INDEXES) await db.schema.dropIndex(name).execute();
    },
  },
  // Online evaluation of production spans (OTLP ingest): rules on a card, and one row per
  // sampled span that is first a pending job and then, once judged, its verdict.
  '0014-otlp-online-evaluation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('online_eval_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('prompt_card_id', 'text', (c) =>
          c.notNull().references('prompt_cards.id').onDelete('cascade'),
        )
        .addColumn('service_name', 'text')
        .addColumn('model', 'text')
        .addColumn('require_card_attribute', 'integer', (c) => c.notNull())
        .addColumn('sample_rate', 'double precision', (c) => c.notNull())
        .addColumn('assertions', 'text')
        .addColumn('variables', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('online_evaluations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('rule_id', 'text', (c) =>
          c.notNull().references('online_eval_rules.id').onDelete('cascade'),
        )
        .addColumn('prompt_card_id', 'text', (c) => c.notNull())
        .addColumn('trace_id', 'text', (c) => c.notNull())
        .addColumn('span_id', 'text', (c) => c.notNull())
        .addColumn('model', 'text')
        .addColumn('input_text', 'text', (c) => c.notNull())
        .addColumn('output_text', 'text', (c) => c.notNull())
        .addColumn('variables', 'text', (c) => c.notNull())
        .addColumn('span_ended_at', 'double precision', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('claimed_until', 'double precision')
        .addColumn('judged', 'integer')
        .addColumn('pass', 'integer')
        .addColumn('score', 'double precision')
        .addColumn('assertion_results', 'text')
        .addColumn('error', 'text')
        .addColumn('evaluated_at', 'text')
        .execute();
      await db.schema
        .createIndex('online_evaluations_span')
        .on('online_evaluations')
        .columns(['rule_id', 'trace_id', 'span_id'])
        .unique()
        .execute();
      await db.schema
        .createIndex('online_evaluations_pending')
        .on('online_evaluations')
        .columns(['status', 'claimed_until'])
        .execute();
      // Keyset pages of a card's evaluations, newest span first.
      await db.schema
        .createIndex('online_evaluations_card_page')
        .on('online_evaluations')
        .columns(['prompt_card_id', 'span_ended_at', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('online_evaluations').execute();
      await db.schema.dropTable('online_eval_rules').execute();
    },
  },
  // Online evaluation limits: what each evaluation's judge calls cost (the daily budget sums it
  // over today's verdicts), why an evaluation was not judged, a rule's judge concurrency, and
  // the indexes the budget sum (evaluated_at) and the retention delete (received_at) range over.
  '0015-online-eval-budget-retention': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('online_evaluations')
        .addColumn('judge_cost_usd', 'double precision')
        .execute();
      await db.schema
        .alterTable('online_evaluations')
        .addColumn('not_judged_reason', 'text')
        .execute();
      await db.schema
        .alterTable('online_eval_rules')
        .addColumn('judge_concurrency', 'integer')
        .execute();
      await db.schema
        .createIndex('online_evaluations_evaluated')
        .on('online_evaluations')
        .columns(['evaluated_at'])
        .execute();
      await db.schema
        .createIndex('online_evaluations_received')
        .on('online_evaluations')
        .columns(['received_at', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('online_evaluations_received').execute();
      await db.schema.dropIndex('online_evaluations_evaluated').execute();
      await db.schema.alterTable('online_eval_rules').dropColumn('judge_concurrency').execute();
      await db.schema.alterTable('online_evaluations').dropColumn('not_judged_reason').execute();
      await db.schema.alterTable('online_evaluations').dropColumn('judge_cost_usd').execute();
    },
  },
  // How a model stopped and what it said besides its answer: the finish reason, a refusal
  // message and reasoning kept apart from the output; and the card setting that takes inline
  // `<think>` blocks out of answers (1: answers as the model sent them).
  '0016-model-answer-fields': {
    async up(db: Kysely<any>) {
      for (const column of ['finish_reason', 'refusal', 'reasoning'])
        await db.schema.alterTable('run_results').addColumn(column, 'text').execute();
      await db.schema
        .alterTable('prompt_cards')
        .addColumn('show_thinking', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const column of ['finish_reason', 'refusal', 'reasoning'])
        await db.schema.alterTable('run_results').dropColumn(column).execute();
      await db.schema.alterTable('prompt_cards').dropColumn('show_thinking').execute();
    },
  },
  // Run totals kept as results arrive (src/runs/run-totals.ts): per run and model, counts and
  // sums, a latency sketch and errors by type. Existing runs are marked totals_kept = 0 and get
  // theirs recomputed from their results on first read or by `npm run runs:repair-totals`.
  '0017-run-totals-kept': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('runs')
        .addColumn('totals_kept', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      const run = (c: ColumnDefinitionBuilder) =>
        c.notNull().references('runs.id').onDelete('cascade');
      let totals = db.schema
        .createTable('run_model_totals')
        .addColumn('run_id', 'text', run)
        .addColumn('model', 'text', (c) => c.notNull());
      for (const column of ['results', 'passed', 'errored', 'not_judged'])
        totals = totals.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
      for (const column of ['score_sum', 'answered_latency_total'])
        totals = totals.addColumn(column, 'double precision', (c) => c.notNull().defaultTo(0));
      for (const column of ['input_tokens', 'output_tokens'])
        totals = totals.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
      for (const column of ['input_tokens_known', 'output_tokens_known', 'tokens_missing'])
        totals = totals.addColumn(column, 'integer', (c) => c.notNull().defaultTo(0));
      await totals
        .addColumn('cost_sum', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('costs_known', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('simulated', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('run_model_totals_pk', ['run_id', 'model'])
        .execute();
      await db.schema
        .createTable('run_latency_buckets')
        .addColumn('run_id', 'text', run)
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_latency_buckets_pk', ['run_id', 'model', 'bucket'])
        .execute();
      await db.schema
        .createTable('run_error_counts')
        .addColumn('run_id', 'text', run)
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('error_type', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_error_counts_pk', ['run_id', 'model', 'error_type'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('run_error_counts').execute();
      await db.schema.dropTable('run_latency_buckets').execute();
      await db.schema.dropTable('run_model_totals').execute();
      await db.schema.alterTable('runs').dropColumn('totals_kept').execute();
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
    // Without `schema`, the connection's current schema (PostgreSQL).
    ...(schema !== undefined
      ? { migrationTableSchema: schema }
      : db.getExecutor().adapter instanceof PostgresAdapter
        ? { migrationTableSchema: await currentSchema(db) }
        : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined) {
    const where = failed === undefined ? '' : ` (in ${failed.migrationName})`;
    throw new Error(`Database migration failed${where}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function currentSchema<DB>(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

/** Cheap liveness query used by health checks and tests. */
export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}
