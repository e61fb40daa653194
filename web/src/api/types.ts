/** Shapes of the public HTTP API as the UI reads them (README: routes, runs, WebSocket). */
export type TemplateValue = string | number | boolean;

export interface AssertionSpec {
  type: string;
  value?: unknown;
  threshold?: number;
  weight?: number;
}

export interface Card {
  id: string;
  title: string;
  description: string;
  prompt_template: string;
  tags: string[];
  prompt_type: string;
  variables: string[];
  pass_rate_threshold: number | null;
  test_case_count: number;
  created_at: string;
  updated_at: string;
}

export interface CardInput {
  title: string;
  description: string;
  prompt_template: string;
  tags: string[];
  pass_rate_threshold: number | null;
}

export interface TestCase {
  id: string;
  prompt_card_id: string;
  name: string;
  input_variables: Record<string, TemplateValue>;
  expected_output: string | null;
  assertions: AssertionSpec[];
  created_at: string;
  updated_at: string;
}

export interface TestCaseInput {
  name: string;
  input_variables: Record<string, TemplateValue>;
  expected_output: string | null;
  assertions: AssertionSpec[];
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export type RunStatus = 'queued' | 'running' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

export interface RunProgress {
  total: number;
  completed: number;
  passed: number;
  failed: number;
  errored: number;
  /** Answered without error, but no assertion judged them: neither passed nor failed. */
  not_judged: number;
  remaining: number;
}

export interface ModelSummary {
  model: string;
  simulated: boolean;
  results: number;
  passed: number;
  failed: number;
  errored: number;
  not_judged: number;
  /** passed / (results − not_judged); null when no result counts. */
  pass_rate: number | null;
  mean_score: number | null;
  latency_ms: { p50: number | null; p95: number | null };
  /** Sums of reported token counts; null when no result reported one. */
  tokens: { input: number | null; output: number | null };
  cost_usd: number | null;
  cost_complete: boolean;
}

export interface Run {
  id: string;
  prompt_card_id: string;
  status: RunStatus;
  models: string[];
  concurrency: number;
  repeat: number;
  /** The card's template version the run renders; null for runs from before versions. */
  prompt_version: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: RunProgress;
  summary: ModelSummary[];
}

export interface AssertionResult {
  type: string;
  pass: boolean;
  score: number;
  weight: number;
  reason: string;
  error?: string;
}

export interface RunResult {
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
  assertions: AssertionResult[];
  score: number;
  passed: boolean;
  /** false when nothing judged the answer (no assertion): neither passed nor failed. */
  judged: boolean;
  error: { type: string; message: string } | null;
  simulated: boolean;
  attempts: number;
  cached: boolean;
  created_at: string;
}

export interface ProviderModels {
  provider: string;
  simulated: boolean;
  models: string[];
  error?: { kind: string; message: string };
}

export interface AssertionType {
  type: string;
  description: string;
  default_threshold: number | null;
}

/** A person's rating of a result (src/ratings). */
export interface Rating {
  result_id: string;
  run_id: string;
  thumb: 'up' | 'down';
  comment: string;
  author: string | null;
  /** Whether the rating says what the assertions said; null when nothing judged the result. */
  judge_agrees: boolean | null;
  created_at: string;
  updated_at: string;
}

/** Human vs judge agreement of one card and model. */
export interface Agreement {
  card_id: string;
  model: string;
  ratings: number;
  judged_ratings: number;
  agreements: number;
  agreement_ratio: number | null;
}

/** A stored alert (GET /api/alerts). */
export interface StoredAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  name: string;
  severity: string;
  summary: string;
  description: string;
  labels: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  runbookUrl: string | null;
}

/** The server's comparison of two runs (GET /api/runs/:id/compare/:baseline). */
export interface ModelComparison {
  model: string;
  paired_cases: number;
  baseline_pass_rate: number | null;
  candidate_pass_rate: number | null;
  pass_rate_delta: number | null;
  test: 'mcnemar_exact' | 'bootstrap';
  p_value: number | null;
  interval: { lower: number; upper: number } | null;
  verdict: 'regression' | 'improvement' | 'no_significant_change';
  latency_ms: { p50_delta: number | null; p95_delta: number | null };
  cost_usd_delta: number | null;
  counts: Record<
    'fixed' | 'broken' | 'still_failing' | 'still_passing' | 'new' | 'removed',
    number
  >;
}

export interface RunComparison {
  run_id: string;
  baseline_run_id: string;
  alpha: number;
  verdict: 'regression' | 'improvement' | 'no_significant_change';
  models: ModelComparison[];
}

/** Events of `/ws` (src/runs/progress-socket.ts). */
export type RunEvent =
  | { type: 'subscribed'; run_id: string; run: Run }
  | { type: 'run.started'; run_id: string; run: Run }
  | { type: 'result'; run_id: string; result: RunResult }
  | { type: 'run.finished'; run_id: string; run: Run }
  | { type: 'error'; run_id?: string; message: string };
