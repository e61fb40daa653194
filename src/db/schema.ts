/**
 * Table types for Kysely. JSON columns are stored as text so that one schema and one store
 * serve both SQLite and PostgreSQL; stores parse them at the boundary. Timestamps are ISO-8601
 * UTC strings, which sort correctly as text in both databases.
 */
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
  /** The card's template version the run renders (null for runs made before versions). */
  prompt_version: number | null;
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
  error_type: string | null;
  error_message: string | null;
  /** 0 or 1: produced by the built-in simulated provider. */
  simulated: number;
  /** Provider attempts it took (1 = no retry). */
  attempts: number;
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

export interface Database {
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
  prompt_card_versions: PromptCardVersionTable;
}
