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
  /** Send as `after` for the next page; null at the end. */
  next: string | null;
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
  tokens: { input: number; output: number };
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
  created_at: string;
  /** Given by servers that record it; linked to Jaeger when configured. */
  trace_id?: string;
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

/** Events of `/ws` (src/runs/progress-socket.ts). */
export type RunEvent =
  | { type: 'subscribed'; run_id: string; run: Run }
  | { type: 'run.started'; run_id: string; run: Run }
  | { type: 'result'; run_id: string; result: RunResult }
  | { type: 'run.finished'; run_id: string; run: Run }
  | { type: 'error'; run_id?: string; message: string };
