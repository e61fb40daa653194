/**
 * Table types for Kysely. JSON columns are stored as text so that one schema and one store
 * serve both SQLite and PostgreSQL; stores parse them at the boundary. Timestamps are ISO-8601
 * UTC strings, which sort correctly as text in both databases.
 */
import type { Generated } from 'kysely';

export interface PromptCardTable {
  id: string;
  title: string;
  description: string;
  prompt_template: string;
  /** JSON array of strings, in the user's order; the first is the prompt type. */
  tags: string;
  /** JSON array of variable names derived from the template. */
  variables: string;
  /** A finished run whose pass rate for a model falls below this raises an alert (null: none). */
  pass_rate_threshold: number | null;
  /** 0: inline `<think>` blocks are taken out of answers before checks; 1 (default): kept. */
  show_thinking: number;
  created_at: string;
  updated_at: string;
}

/** One row per (card, tag): makes `?tag=` an indexed lookup on both databases. */
export interface PromptCardTagTable {
  card_id: string;
  tag: string;
  position: number;
}

export interface TestCaseTable {
  id: string;
  prompt_card_id: string;
  name: string;
  /** JSON object of variable name → value. */
  input_variables: string;
  expected_output: string | null;
  /** JSON array of `{type, value, threshold?, weight?}`. */
  assertions: string;
  created_at: string;
  updated_at: string;
}

export interface RunTable {
  id: string;
  prompt_card_id: string;
  status: string;
  /** JSON array of model ids. */
  models: string;
  /** JSON array of the test case ids fixed when the run was created (resume runs the same set). */
  test_case_ids: string;
  concurrency: number;
  repeat: number;
  total_items: number;
  user_category: string;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The process executing the run (see src/runs/run-lease.ts); null when nobody does. */
  lease_owner: string | null;
  /** Epoch milliseconds until which `lease_owner` holds the run, unless it renews. */
  lease_expires_at: number | null;
  /** 1 when the run answers from the answer cache where it can. */
  cache: number;
  /** The card's template version the run renders (null for runs made before versions). */
  prompt_version: number | null;
  /**
   * 1 when the run's totals (`run_model_totals` …) are kept as its results arrive; 0 for runs
   * made before they were, whose totals are recomputed on first read (src/runs/run-totals.ts).
   */
  totals_kept: Generated<number>;
}

/** A run's totals for one model, kept as its results are written (src/runs/run-totals.ts). */
export interface RunModelTotalsTable {
  run_id: string;
  model: string;
  results: number;
  passed: number;
  errored: number;
  /** Answered results that nothing judged. */
  not_judged: number;
  score_sum: number;
  /** Milliseconds, over answered results. */
  answered_latency_total: number;
  /** Sums of the known token counts (bigint: PostgreSQL answers them as strings). */
  input_tokens: number | string;
  output_tokens: number | string;
  input_tokens_known: number;
  output_tokens_known: number;
  tokens_missing: number;
  /** US dollars, over results with a known cost. */
  cost_sum: number;
  costs_known: number;
  /** 1 when the model is simulated (declared at creation, or any result was). */
  simulated: number;
}

/** One bucket of a run's latency sketch for one model (src/runs/latency-sketch.ts). */
export interface RunLatencyBucketTable {
  run_id: string;
  model: string;
  bucket: number;
  n: number;
}

/** How many of a run's results for one model failed with an error type. */
export interface RunErrorCountTable {
  run_id: string;
  model: string;
  error_type: string;
  n: number;
}

/** The lease of one job of a run (items [start, end) of its plan) on a shared queue. */
export interface RunJobLeaseTable {
  run_id: string;
  start: number;
  owner: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

export interface PromptCardVersionTable {
  card_id: string;
  version: number;
  prompt_template: string;
  /** JSON array of the template's variables. */
  variables: string;
  /** The identity that made the change, where authentication gives one. */
  author: string | null;
  created_at: string;
}

export interface RunResultTable {
  id: string;
  run_id: string;
  test_case_id: string;
  model: string;
  repetition: number;
  rendered_prompt: string;
  output: string | null;
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  /** JSON array of per-assertion results. */
  assertion_results: string;
  score: number;
  /** 0 or 1 (SQLite has no boolean type). */
  passed: number;
  /** 0 for an answer that no assertion and no expected output judged; 1 otherwise (errors too). */
  judged: number;
  error_type: string | null;
  error_message: string | null;
  /** 0 or 1: produced by the built-in simulated provider. */
  simulated: number;
  /** Provider attempts it took (1 = no retry). */
  attempts: number;
  /** 1 when the answer came from the answer cache (no model call). */
  cached: number;
  // The three below are optional in rows written: absent is null (the columns came later).
  /** Why the model stopped (`stop`, `length`, `content_filter`, …); null when unknown or no answer. */
  finish_reason?: string | null;
  /** The model's refusal message when it declined; null otherwise. */
  refusal?: string | null;
  /** The model's reasoning, kept apart from `output`; null when there was none. */
  reasoning?: string | null;
  created_at: string;
}

export interface AlertTable {
  fingerprint: string;
  name: string;
  status: string;
  severity: string;
  summary: string;
  description: string;
  /** JSON object of the alert's labels. */
  labels: string;
  starts_at: string;
  ends_at: string | null;
  runbook_url: string | null;
  updated_at: string;
}

export interface AlertEventTable {
  id: string;
  fingerprint: string;
  name: string;
  status: string;
  severity: string;
  at: string;
}

export interface AnalyticsSampleTable {
  series: string;
  /** Epoch milliseconds. */
  ts: number;
  value: number;
}

/** One minute of a series: `ts` is the minute's start. */
export interface AnalyticsRollupTable {
  series: string;
  ts: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface AnalyticsAnomalyTable {
  id: string;
  series: string;
  ts: number;
  value: number;
  expected: number;
  score: number;
  severity: string;
  kind: string;
}

/** API keys: only the SHA-256 of each key is stored. */
export interface ApiKeyTable {
  id: string;
  name: string;
  /** viewer, editor, admin or ingest. */
  role: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** One audit record; `mac` chains it to the record before (see src/audit/audit-chain.ts). */
export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  target_id: string;
  /** SHA-256 of the JSON `{before, after}` of the change. */
  digest: string;
  /** Id of the AUDIT_SECRET that signed it; null: written unsigned (no secret). */
  key_id: string | null;
  prev_mac: string;
  mac: string;
  /** First record of a segment after a rotation: its MAC under the previous secret too. */
  mac_previous: string | null;
}

/** The last record's seq and MAC, signed, so that removing records at the end shows. */
export interface AuditHeadTable {
  id: string;
  seq: number;
  mac: string;
  head_mac: string;
}

/** The stored check value of the encryption key (see src/db/encryption-at-rest.ts). */
export interface EncryptionCheckTable {
  id: string;
  value: string;
}

/** One CloudEvent waiting for (or, until pruned, past) delivery by the outbox relay. */
export interface EventOutboxTable {
  /** The CloudEvent id: consumers de-duplicate on it; it never changes across retries. */
  id: string;
  /** Delivery order. */
  seq: number;
  /** The run id: the CloudEvent subject and the Kafka message key. */
  subject: string;
  type: string;
  /** The whole CloudEvent, JSON (structured mode). */
  event: string;
  created_at: string;
  sent_at: string | null;
}

export interface ResultRatingTable {
  result_id: string;
  run_id: string;
  /** 'up' or 'down'. */
  thumb: string;
  comment: string;
  /** The identity that rated, where authentication gives one. */
  author: string | null;
  created_at: string;
  updated_at: string;
}

/** A card's online evaluation rule (src/otlp/rule-store.ts). */
export interface OnlineEvalRuleTable {
  id: string;
  prompt_card_id: string;
  service_name: string | null;
  model: string | null;
  require_card_attribute: number;
  sample_rate: number;
  /** JSON AssertionSpec[]; null: the card's test cases' assertions. */
  assertions: string | null;
  /** JSON {variable: 'input' | 'output' | 'attribute:<key>'}. */
  variables: string;
  created_at: string;
  /** Evaluations of this rule one process judges at a time; null: no limit of its own. */
  judge_concurrency: number | null;
}

/** A sampled span: a pending job (`status` pending), then its verdict (`status` done). */
export interface OnlineEvaluationTable {
  id: string;
  rule_id: string;
  prompt_card_id: string;
  trace_id: string;
  span_id: string;
  model: string | null;
  input_text: string;
  output_text: string;
  variables: string;
  /** Epoch milliseconds. */
  span_ended_at: number;
  received_at: string;
  status: string;
  /** Epoch milliseconds until which an evaluator holds the job. */
  claimed_until: number | null;
  judged: number | null;
  pass: number | null;
  score: number | null;
  assertion_results: string | null;
  error: string | null;
  evaluated_at: string | null;
  /** USD the judge calls of this evaluation cost; null: none or unpriced. */
  judge_cost_usd: number | null;
  /** Why a done evaluation was not judged: `budget`, `no_assertions`; null otherwise. */
  not_judged_reason: string | null;
}

export interface Database {
  result_ratings: ResultRatingTable;
  online_eval_rules: OnlineEvalRuleTable;
  online_evaluations: OnlineEvaluationTable;
  encryption_check: EncryptionCheckTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  api_keys: ApiKeyTable;
  event_outbox: EventOutboxTable;
  alerts: AlertTable;
  analytics_samples: AnalyticsSampleTable;
  analytics_rollups: AnalyticsRollupTable;
  analytics_anomalies: AnalyticsAnomalyTable;
  alert_events: AlertEventTable;
  prompt_cards: PromptCardTable;
  prompt_card_tags: PromptCardTagTable;
  test_cases: TestCaseTable;
  runs: RunTable;
  run_results: RunResultTable;
  run_model_totals: RunModelTotalsTable;
  run_latency_buckets: RunLatencyBucketTable;
  run_error_counts: RunErrorCountTable;
  run_job_leases: RunJobLeaseTable;
  prompt_card_versions: PromptCardVersionTable;
}
