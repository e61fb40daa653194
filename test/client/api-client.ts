/* eslint-disable */
/* tslint:disable */
/*
 * ---------------------------------------------------------------
 * ## THIS FILE WAS GENERATED VIA SWAGGER-TYPESCRIPT-API        ##
 * ##                                                           ##
 * ## AUTHOR: acacode                                           ##
 * ## SOURCE: https://github.com/acacode/swagger-typescript-api ##
 * ---------------------------------------------------------------
 */

export interface AlertmanagerWebhook {
  version: '4';
  groupKey: string;
  /**
   * @min 0
   * @max 9007199254740991
   * @default 0
   */
  truncatedAlerts?: number;
  status: 'firing' | 'resolved';
  receiver: string;
  /** @default {} */
  groupLabels?: Partial<Record<string, string>>;
  /** @default {} */
  commonLabels?: Partial<Record<string, string>>;
  /** @default {} */
  commonAnnotations?: Partial<Record<string, string>>;
  /** @default "" */
  externalURL?: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Partial<Record<string, string>>;
    /** @default {} */
    annotations?: Partial<Record<string, string>>;
    /**
     * @format date-time
     * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$
     */
    startsAt: string;
    /**
     * @format date-time
     * @default "0001-01-01T00:00:00Z"
     * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$
     */
    endsAt?: string;
    /** @default "" */
    generatorURL?: string;
    /**
     * @minLength 1
     * @maxLength 64
     */
    fingerprint: string;
  }[];
}

export interface ApiKeyInput {
  /**
   * @minLength 1
   * @maxLength 100
   */
  name: string;
  role: 'viewer' | 'editor' | 'admin' | 'ingest';
}

export interface PromptCardInput {
  /**
   * @minLength 1
   * @maxLength 200
   */
  title: string;
  /**
   * @maxLength 10000
   * @default ""
   */
  description?: string;
  /**
   * @minLength 1
   * @maxLength 100000
   */
  prompt_template: string;
  /**
   * @maxItems 32
   * @default []
   */
  tags?: string[];
  /** @default null */
  pass_rate_threshold?: number | null;
  show_thinking?: boolean;
}

export interface OnlineEvaluationRuleInput {
  /** @default null */
  service_name?: string | null;
  /** @default null */
  model?: string | null;
  /** @default false */
  require_card_attribute?: boolean;
  /**
   * @min 0
   * @max 1
   * @default 1
   */
  sample_rate?: number;
  /** @default null */
  assertions?: AssertionSpec[] | null;
  /** @default {} */
  variables?: Partial<Record<string, string>>;
  /** @default null */
  judge_concurrency?: number | null;
}

export interface AssertionSpec {
  type: string;
  value?: any;
  /** @min 0 */
  threshold?: number;
  /**
   * @min 0
   * @max 1000
   */
  weight?: number;
  /**
   * @minLength 1
   * @maxLength 200
   */
  metric?: string;
  /**
   * @maxItems 50
   * @minItems 1
   */
  assert?: AssertionSpec[];
  transform?: string | string[];
  /**
   * @minLength 1
   * @maxLength 100000
   */
  rubricPrompt?: string;
  config?: Partial<Record<string, any>>;
  /**
   * @minLength 1
   * @maxLength 10000
   */
  contextTransform?: string;
}

export interface RunRequest {
  /**
   * @maxItems 20
   * @minItems 1
   */
  models: any[];
  /**
   * @min 1
   * @max 64
   * @default 4
   */
  concurrency?: number;
  /**
   * @min 1
   * @max 100
   * @default 1
   */
  repeat?: number;
  cache?: boolean;
}

export interface TestCaseInput {
  /**
   * @minLength 1
   * @maxLength 200
   */
  name: string;
  /** @default {} */
  input_variables?: Partial<Record<string, string | number | boolean>>;
  /** @default null */
  expected_output?: string | null;
  /**
   * @maxItems 50
   * @default []
   */
  assertions?: AssertionSpec[];
}

export interface RatingRequest {
  /** 'up': the answer is good; 'down': it is not */
  thumb: 'up' | 'down';
  /**
   * @maxLength 2000
   * @default ""
   */
  comment?: string;
}

export interface ExportTraceServiceRequest {
  resourceSpans?: Record<string, any>[];
  [key: string]: any;
}

export interface Error {
  error: {
    code:
      | 'PCS_ERR_HTTP_MALFORMED_JSON'
      | 'PCS_ERR_HTTP_BAD_REQUEST'
      | 'PCS_ERR_HTTP_MALFORMED_URL'
      | 'PCS_ERR_HTTP_BAD_CONTENT_ENCODING'
      | 'PCS_ERR_HTTP_ROUTE_NOT_FOUND'
      | 'PCS_ERR_HTTP_BODY_TOO_LARGE'
      | 'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE'
      | 'PCS_ERR_HTTP_REQUEST_TIMEOUT'
      | 'PCS_ERR_HTTP_HEADERS_TOO_LARGE'
      | 'PCS_ERR_HTTP_SHUTTING_DOWN'
      | 'PCS_ERR_HTTP_HOST_NOT_ALLOWED'
      | 'PCS_ERR_HTTP_ORIGIN_NOT_ALLOWED'
      | 'PCS_ERR_HTTP_RATE_LIMITED'
      | 'PCS_ERR_AUTH_REQUIRED'
      | 'PCS_ERR_AUTH_INVALID'
      | 'PCS_ERR_AUTH_FORBIDDEN'
      | 'PCS_ERR_API_KEY_NOT_FOUND'
      | 'PCS_ERR_ALERT_BAD_PAYLOAD'
      | 'PCS_ERR_ALERT_UNAUTHORIZED'
      | 'PCS_ERR_HEALTH_CHECK_UNKNOWN'
      | 'PCS_ERR_METRICS_UNAUTHORIZED'
      | 'PCS_ERR_OTLP_MALFORMED'
      | 'PCS_ERR_OTLP_TOO_LARGE'
      | 'PCS_ERR_OTLP_UNSUPPORTED_MEDIA_TYPE'
      | 'PCS_ERR_OTLP_BACKLOG_FULL'
      | 'PCS_ERR_OTLP_UNAVAILABLE'
      | 'PCS_ERR_ONLINE_RULE_NOT_FOUND'
      | 'PCS_ERR_VALIDATION_FAILED'
      | 'PCS_ERR_CARD_NOT_FOUND'
      | 'PCS_ERR_CARD_HAS_ACTIVE_RUN'
      | 'PCS_ERR_CARD_TEMPLATE_BREAKS_TEST_CASES'
      | 'PCS_ERR_TEST_CASE_NOT_FOUND'
      | 'PCS_ERR_TEST_CASE_MISSING_VARIABLES'
      | 'PCS_ERR_RUN_NOT_FOUND'
      | 'PCS_ERR_RESULT_NOT_FOUND'
      | 'PCS_ERR_RATING_NOT_FOUND'
      | 'PCS_ERR_RUN_NO_TEST_CASES'
      | 'PCS_ERR_RUN_NOT_CANCELLABLE'
      | 'PCS_ERR_RUN_NOT_RESUMABLE'
      | 'PCS_ERR_PROVIDER_UNKNOWN'
      | 'PCS_ERR_MODEL_UNKNOWN'
      | 'PCS_ERR_ANALYTICS_DISABLED'
      | 'PCS_ERR_ANALYTICS_SERIES_NOT_FOUND'
      | 'PCS_ERR_ANALYTICS_SOURCE_UNAVAILABLE'
      | 'PCS_ERR_DATABASE_UNAVAILABLE'
      | 'PCS_ERR_DATABASE_FULL'
      | 'PCS_ERR_SERVER_INTERNAL';
    message: string;
    fields?: {
      field: string;
      message: string;
    }[];
  };
}

export interface StoredAlert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  name: string;
  severity: 'critical' | 'warning' | 'info';
  summary: string;
  description: string;
  labels: Partial<Record<string, string>>;
  startsAt: string;
  endsAt: string | null;
  runbookUrl: string | null;
  /** @format date-time */
  updated_at: string;
}

export interface AlertEvent {
  id: string;
  fingerprint: string;
  name: string;
  status: 'firing' | 'resolved';
  severity: 'critical' | 'warning' | 'info';
  /** @format date-time */
  at: string;
}

export interface Anomaly {
  id?: string;
  series?: string;
  /** @format date-time */
  at: string;
  value: number;
  expected: number;
  score: number;
  severity: 'low' | 'medium' | 'high' | 'critical';
  kind: string;
}

export interface CapacityPlan {
  series: string;
  current: number | null;
  limit: {
    value: number;
    direction: 'above' | 'below';
    source: string;
  } | null;
  method: string | null;
  forecasts: {
    horizon: string;
    /** @format date-time */
    at: string;
    mean: number;
    lower: number;
    upper: number;
    extrapolated: boolean;
  }[];
  crossesAt: string | null;
  mayCrossAt: string | null;
  recommendation: string;
}

export interface AssertionType {
  type: string;
  description: string;
  default_threshold: number | null;
}

export interface AuditRecord {
  /**
   * @min -9007199254740991
   * @max 9007199254740991
   */
  seq: number;
  /** @format date-time */
  at: string;
  actor: string;
  role: string;
  action: string;
  target_id: string;
  /** SHA-256 of the JSON {before, after} of the change */
  digest: string;
  signed: boolean;
  key_id: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  role: 'viewer' | 'editor' | 'admin' | 'ingest';
  /** @format date-time */
  created_at: string;
  revoked_at: string | null;
}

export interface NewApiKey {
  id: string;
  name: string;
  role: 'viewer' | 'editor' | 'admin' | 'ingest';
  /** @format date-time */
  created_at: string;
  revoked_at: string | null;
  key: string;
}

export interface ProviderModels {
  provider: string;
  simulated: boolean;
  models: string[];
  /** True when the provider cannot list its models: runs accept any id, unchecked */
  accepts_unlisted: boolean;
  error?: {
    kind: string;
    message: string;
  };
}

export interface PromptCard {
  id: string;
  title: string;
  description: string;
  prompt_template: string;
  tags: string[];
  prompt_type: string;
  variables: string[];
  pass_rate_threshold: number | null;
  show_thinking: boolean;
  /**
   * @min 0
   * @max 9007199254740991
   */
  test_case_count: number;
  /**
   * @format date-time
   * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z))$
   */
  created_at: string;
  /**
   * @format date-time
   * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z))$
   */
  updated_at: string;
}

export interface JudgeAgreement {
  card_id: string;
  model: string;
  /**
   * @min 0
   * @max 9007199254740991
   */
  ratings: number;
  /**
   * Rated results the assertions gave a verdict on
   * @min 0
   * @max 9007199254740991
   */
  judged_ratings: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  agreements: number;
  /** agreements / judged_ratings; null without a judged rating */
  agreement_ratio: number | null;
}

export interface OnlineEvaluation {
  id: string;
  rule_id: string;
  prompt_card_id: string;
  trace_id: string;
  span_id: string;
  model: string | null;
  input: string;
  output: string;
  variables: Partial<Record<string, string>>;
  /** @format date-time */
  span_ended_at: string;
  /** @format date-time */
  received_at: string;
  status: 'pending' | 'done';
  judged: boolean | null;
  pass: boolean | null;
  score: number | null;
  assertion_results:
    | {
        type: string;
        pass: boolean;
        score: number;
        weight: number;
        reason: string;
        [key: string]: any;
      }[]
    | null;
  error: string | null;
  not_judged_reason: 'budget' | 'no_assertions' | null;
  judge_cost_usd: number | null;
  evaluated_at: string | null;
}

export interface OnlineEvaluationSummary {
  bucket: 'hour' | 'day';
  /** @format date-time */
  since: string;
  /** @format date-time */
  until: string;
  /** TRACE_URL_TEMPLATE: a trace UI link with {trace_id} and {span_id}; null: none */
  trace_url_template: string | null;
  items: {
    /** @format date-time */
    start: string;
    /**
     * @min 0
     * @max 9007199254740991
     */
    total: number;
    /**
     * @min 0
     * @max 9007199254740991
     */
    pending: number;
    /**
     * @min 0
     * @max 9007199254740991
     */
    passed: number;
    /**
     * @min 0
     * @max 9007199254740991
     */
    failed: number;
    /**
     * @min 0
     * @max 9007199254740991
     */
    not_judged: number;
    /**
     * @min 0
     * @max 9007199254740991
     */
    errors: number;
    pass_ratio: number | null;
  }[];
}

export interface OnlineEvaluationRule {
  service_name: string | null;
  model: string | null;
  require_card_attribute: boolean;
  sample_rate: number;
  assertions: AssertionSpec[] | null;
  variables: Partial<Record<string, string>>;
  judge_concurrency: number | null;
  id: string;
  prompt_card_id: string;
  /** @format date-time */
  created_at: string;
}

export interface Run {
  id: string;
  prompt_card_id: string;
  status: 'queued' | 'running' | 'completed' | 'cancelled' | 'interrupted' | 'failed';
  models: string[];
  /**
   * @exclusiveMin 0
   * @max 9007199254740991
   */
  concurrency: number;
  /**
   * @exclusiveMin 0
   * @max 9007199254740991
   */
  repeat: number;
  /** Whether the run uses the answer cache */
  cache: boolean;
  /** The card's template version this run renders (pinned) */
  prompt_version: number | null;
  user_category: string;
  error: string | null;
  /** @format date-time */
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: RunProgress;
  summary: ModelSummary[];
}

export interface RunProgress {
  /**
   * @min 0
   * @max 9007199254740991
   */
  total: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  completed: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  passed: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  failed: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  errored: number;
  /**
   * Answered, but nothing judged them
   * @min 0
   * @max 9007199254740991
   */
  not_judged: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  remaining: number;
}

export interface ModelSummary {
  model: string;
  simulated: boolean;
  /**
   * @min 0
   * @max 9007199254740991
   */
  results: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  passed: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  failed: number;
  /**
   * @min 0
   * @max 9007199254740991
   */
  errored: number;
  /**
   * Answered, but nothing judged them
   * @min 0
   * @max 9007199254740991
   */
  not_judged: number;
  /** passed / (results − not_judged); null when no result counts */
  pass_rate: number | null;
  mean_score: number | null;
  latency_ms: {
    p50: number | null;
    p95: number | null;
  };
  /** @min 0 */
  answered_latency_ms_total: number;
  /** Sums of the reported token counts; null when none was reported */
  tokens: {
    input: number | null;
    output: number | null;
  };
  tokens_complete: boolean;
  /** Sum of known costs in USD */
  cost_usd: number | null;
  cost_complete: boolean;
  errors_by_type: Partial<Record<string, number>>;
}

export interface TestCase {
  id: string;
  prompt_card_id: string;
  name: string;
  input_variables: Partial<Record<string, string | number | boolean>>;
  expected_output: string | null;
  assertions: AssertionSpec[];
  /**
   * @format date-time
   * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z))$
   */
  created_at: string;
  /**
   * @format date-time
   * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z))$
   */
  updated_at: string;
}

export interface PromptVersion {
  /**
   * @exclusiveMin 0
   * @max 9007199254740991
   */
  version: number;
  prompt_template: string;
  variables: string[];
  author: string | null;
  /** @format date-time */
  created_at: string;
}

export interface Rating {
  result_id: string;
  run_id: string;
  thumb: 'up' | 'down';
  comment: string;
  /** Who rated, where authentication says */
  author: string | null;
  /** Whether the rating says what the assertions said (up = passed, down = failed or errored); null when nothing judged the result */
  judge_agrees: boolean | null;
  /** @format date-time */
  created_at: string;
  /** @format date-time */
  updated_at: string;
}

export interface RunComparison {
  run_id: string;
  baseline_run_id: string;
  alpha: number;
  verdict: 'regression' | 'improvement' | 'no_significant_change';
  models: {
    model: string;
    /**
     * @min -9007199254740991
     * @max 9007199254740991
     */
    paired_cases: number;
    counts: {
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      fixed: number;
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      broken: number;
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      still_failing: number;
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      still_passing: number;
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      new: number;
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      removed: number;
    };
    baseline_pass_rate: number | null;
    candidate_pass_rate: number | null;
    pass_rate_delta: number | null;
    test: 'mcnemar_exact' | 'bootstrap';
    p_value: number | null;
    interval: {
      lower: number;
      upper: number;
    } | null;
    verdict: 'regression' | 'improvement' | 'no_significant_change';
    latency_ms: {
      p50_delta: number | null;
      p95_delta: number | null;
    };
    cost_usd_delta: number | null;
    pass_hat_k: {
      baseline: number[];
      candidate: number[];
    };
    flaky_cases: {
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      baseline: number;
      /**
       * @min -9007199254740991
       * @max 9007199254740991
       */
      candidate: number;
    };
  }[];
  cases: {
    key: string;
    model: string;
    change: 'fixed' | 'broken' | 'still_failing' | 'still_passing' | 'new' | 'removed';
    baseline_pass_rate: number | null;
    candidate_pass_rate: number | null;
    score_delta: number | null;
  }[];
}

export interface RunResult {
  id: string;
  run_id: string;
  test_case_id: string;
  model: string;
  /**
   * @min 0
   * @max 9007199254740991
   */
  repetition: number;
  rendered_prompt: string;
  output: string | null;
  /** @min 0 */
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  assertions: AssertionResult[];
  score: number;
  passed: boolean;
  /** False for an answer nothing judged (no assertions, no expected output) */
  judged: boolean;
  error: {
    type: string;
    message: string;
  } | null;
  simulated: boolean;
  /** The answer came from the answer cache */
  cached: boolean;
  /**
   * @min 0
   * @max 9007199254740991
   */
  attempts: number;
  /** Why the model stopped, as the server said (stop, length, tool_calls, content_filter; Ollama’s done_reason); null when unknown */
  finish_reason: string | null;
  /** The model’s refusal message when it declined instead of answering; the answer then fails every check except is-refusal and finish-reason */
  refusal: string | null;
  /** The model’s reasoning kept apart from output (sent apart by the server, or <think> blocks taken out when the card’s show_thinking is false) */
  reasoning: string | null;
  /** @format date-time */
  created_at: string;
}

export interface AssertionResult {
  type: string;
  pass: boolean;
  /**
   * @min 0
   * @max 1
   */
  score: number;
  weight: number;
  reason: string;
  error?: string;
  error_type?: string;
}

export interface ExportTraceServiceResponse {
  partialSuccess?: {
    rejectedSpans: string;
    errorMessage: string;
  };
}

export interface HealthCheckResult {
  name: string;
  critical: boolean;
  status: 'pass' | 'warn' | 'fail';
  observed?: any;
  threshold?: any;
  message?: string;
  /** @min 0 */
  latency_ms: number;
  /** @format date-time */
  checked_at: string;
}

export interface ComprehensiveHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
  /** @format date-time */
  checked_at: string;
  checks: HealthCheckResult[];
}

export interface ListFiringAlertsParams {
  severity?: 'critical' | 'warning' | 'info';
}

export interface ListAlertHistoryParams {
  /**
   * @min 1
   * @max 100
   * @default 20
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
}

export interface ListAnalyticsAnomaliesParams {
  /**
   * @minLength 1
   * @maxLength 200
   */
  series?: string;
  /**
   * @minLength 1
   * @maxLength 4000
   */
  query?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  range?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  step?: string;
  since?: string;
  severity?: string;
  /**
   * @min 1
   * @max 1000
   * @default 100
   */
  limit?: number;
}

export interface GetAnalyticsCapacityParams {
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  history?: string;
}

export interface GetAnalyticsForecastParams {
  /**
   * @minLength 1
   * @maxLength 200
   */
  series?: string;
  /**
   * @minLength 1
   * @maxLength 4000
   */
  query?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  range?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  step?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  horizon: string;
}

export interface GetAnalyticsSeriesParams {
  /**
   * @minLength 1
   * @maxLength 200
   */
  series?: string;
  /**
   * @minLength 1
   * @maxLength 4000
   */
  query?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  range?: string;
  /** @pattern ^\d+(\.\d+)?(ms|s|m|h|d|w)$ */
  step?: string;
}

export interface ListAuditRecordsParams {
  /**
   * @min 1
   * @max 500
   * @default 100
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
  /**
   * @minLength 1
   * @maxLength 200
   */
  actor?: string;
  /**
   * @minLength 1
   * @maxLength 100
   */
  action?: string;
  /**
   * @minLength 1
   * @maxLength 200
   */
  target_id?: string;
  /**
   * @format date-time
   * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$
   */
  since?: string;
  /**
   * @format date-time
   * @pattern ^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$
   */
  until?: string;
}

export interface GetApiReferenceAssetParams {
  file: string;
}

export interface RevokeApiKeyParams {
  /** The id */
  id: string;
}

export interface ListPromptCardsParams {
  /** @maxLength 200 */
  q?: string;
  /** @maxLength 64 */
  tag?: string;
  /**
   * @min 1
   * @max 100
   * @default 20
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
}

export interface GetPromptCardParams {
  /** The id */
  id: string;
}

export interface UpdatePromptCardParams {
  /** The id */
  id: string;
}

export interface DeletePromptCardParams {
  /** The id */
  id: string;
}

export interface GetJudgeAgreementParams {
  /** The id */
  id: string;
}

export interface ListOnlineEvaluationsParams {
  /**
   * @min 1
   * @max 100
   * @default 20
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
  id: string;
}

export interface SummariseOnlineEvaluationsParams {
  /** @default "hour" */
  bucket?: 'hour' | 'day';
  /**
   * @min 1
   * @max 9007199254740991
   */
  buckets?: number;
  id: string;
}

export interface CreateOnlineRuleParams {
  id: string;
}

export interface ListOnlineRulesParams {
  id: string;
}

export interface DeleteOnlineRuleParams {
  id: string;
  ruleId: string;
}

export interface CreateRunParams {
  /** The id */
  id: string;
}

export interface ListRunsParams {
  /**
   * @min 1
   * @max 100
   * @default 20
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
  /** The id */
  id: string;
}

export interface CreateTestCaseParams {
  /** The id */
  id: string;
}

export interface ListTestCasesParams {
  /**
   * @min 1
   * @max 100
   * @default 20
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
  /** The id */
  id: string;
}

export interface ImportTestCasesParams {
  /** @default "append" */
  mode?: 'append' | 'sync';
  /** The id */
  id: string;
}

export interface ListPromptVersionsParams {
  /**
   * @min 1
   * @max 500
   * @default 100
   */
  limit?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
  /** The id */
  id: string;
}

export interface DiffPromptVersionsParams {
  id: string;
  /**
   * @min 1
   * @max 9007199254740991
   */
  from: number;
  /**
   * @min 1
   * @max 9007199254740991
   */
  to: number;
}

export interface RateResultParams {
  /** The id */
  id: string;
}

export interface GetResultRatingParams {
  /** The id */
  id: string;
}

export interface RemoveResultRatingParams {
  /** The id */
  id: string;
}

export interface GetRunParams {
  /** The id */
  id: string;
}

export interface CancelRunParams {
  /** The id */
  id: string;
}

export interface CompareRunsParams {
  /**
   * Significance level; RUN_COMPARE_ALPHA by default
   * @exclusiveMin 0
   * @exclusiveMax 0.5
   */
  alpha?: number;
  id: string;
  baseline: string;
}

export interface ListRunRatingsParams {
  /** The id */
  id: string;
}

export interface ListRunResultsParams {
  /**
   * @min 1
   * @max 500
   * @default 100
   */
  limit?: number;
  /**
   * Items to skip (at most 10000); prefer `after`, which stays fast at any depth
   * @min 0
   * @max 10000
   * @default 0
   */
  offset?: number;
  /** The `next` token of the previous page: the page after it, read by key (as fast at the end of a list as at its start) */
  after?: string;
  /** The id */
  id: string;
}

export interface ExportRunResultsCsvParams {
  /** The id */
  id: string;
}

export interface ExportRunResultsJsonlParams {
  /** The id */
  id: string;
}

export interface ResumeRunParams {
  /** The id */
  id: string;
}

export interface GetTestCaseParams {
  /** The id */
  id: string;
}

export interface UpdateTestCaseParams {
  /** The id */
  id: string;
}

export interface DeleteTestCaseParams {
  /** The id */
  id: string;
}

export interface GetWebUiAssetParams {
  file: string;
}

export interface GetRunbookParams {
  file: string;
}

export interface GetServiceHealthParams {
  service: string;
}

export type QueryParamsType = Record<string | number, any>;
export type ResponseFormat = keyof Omit<Body, 'body' | 'bodyUsed'>;

export interface FullRequestParams extends Omit<RequestInit, 'body'> {
  /** set parameter to `true` for call `securityWorker` for this request */
  secure?: boolean;
  /** request path */
  path: string;
  /** content type of request body */
  type?: ContentType;
  /** query params */
  query?: QueryParamsType;
  /** format of response (i.e. response.json() -> format: "json") */
  format?: ResponseFormat;
  /** request body */
  body?: unknown;
  /** base url */
  baseUrl?: string;
  /** request cancellation token */
  cancelToken?: CancelToken;
}

export type RequestParams = Omit<FullRequestParams, 'body' | 'method' | 'query' | 'path'>;

export interface ApiConfig<SecurityDataType = unknown> {
  baseUrl?: string;
  baseApiParams?: Omit<RequestParams, 'baseUrl' | 'cancelToken' | 'signal'>;
  securityWorker?: (
    securityData: SecurityDataType | null,
  ) => Promise<RequestParams | void> | RequestParams | void;
  customFetch?: typeof fetch;
}

export interface HttpResponse<D extends unknown, E extends unknown = unknown> extends Response {
  data: D;
  error: E;
}

type CancelToken = Symbol | string | number;

export enum ContentType {
  Json = 'application/json',
  JsonApi = 'application/vnd.api+json',
  FormData = 'multipart/form-data',
  UrlEncoded = 'application/x-www-form-urlencoded',
  Text = 'text/plain',
}

export class HttpClient<SecurityDataType = unknown> {
  public baseUrl: string = '/';
  private securityData: SecurityDataType | null = null;
  private securityWorker?: ApiConfig<SecurityDataType>['securityWorker'];
  private abortControllers = new Map<CancelToken, AbortController>();
  private customFetch = (...fetchParams: Parameters<typeof fetch>) => fetch(...fetchParams);

  private baseApiParams: RequestParams = {
    credentials: 'same-origin',
    headers: {},
    redirect: 'follow',
    referrerPolicy: 'no-referrer',
  };

  constructor(apiConfig: ApiConfig<SecurityDataType> = {}) {
    Object.assign(this, apiConfig);
  }

  public setSecurityData = (data: SecurityDataType | null) => {
    this.securityData = data;
  };

  protected encodeQueryParam(key: string, value: any) {
    const encodedKey = encodeURIComponent(key);
    return `${encodedKey}=${encodeURIComponent(typeof value === 'number' ? value : `${value}`)}`;
  }

  protected addQueryParam(query: QueryParamsType, key: string) {
    return this.encodeQueryParam(key, query[key]);
  }

  protected addArrayQueryParam(query: QueryParamsType, key: string) {
    const value = query[key];
    return value.map((v: any) => this.encodeQueryParam(key, v)).join('&');
  }

  protected toQueryString(rawQuery?: QueryParamsType): string {
    const query = rawQuery || {};
    const keys = Object.keys(query).filter((key) => 'undefined' !== typeof query[key]);
    return keys
      .map((key) =>
        Array.isArray(query[key])
          ? this.addArrayQueryParam(query, key)
          : this.addQueryParam(query, key),
      )
      .join('&');
  }

  protected addQueryParams(rawQuery?: QueryParamsType): string {
    const queryString = this.toQueryString(rawQuery);
    return queryString ? `?${queryString}` : '';
  }

  private contentFormatters: Record<ContentType, (input: any) => any> = {
    [ContentType.Json]: (input: any) =>
      input !== null && (typeof input === 'object' || typeof input === 'string')
        ? JSON.stringify(input)
        : input,
    [ContentType.JsonApi]: (input: any) =>
      input !== null && (typeof input === 'object' || typeof input === 'string')
        ? JSON.stringify(input)
        : input,
    [ContentType.Text]: (input: any) =>
      input !== null && typeof input !== 'string' ? JSON.stringify(input) : input,
    [ContentType.FormData]: (input: any) => {
      if (input instanceof FormData) {
        return input;
      }

      return Object.keys(input || {}).reduce((formData, key) => {
        const property = input[key];
        formData.append(
          key,
          property instanceof Blob
            ? property
            : typeof property === 'object' && property !== null
              ? JSON.stringify(property)
              : `${property}`,
        );
        return formData;
      }, new FormData());
    },
    [ContentType.UrlEncoded]: (input: any) => this.toQueryString(input),
  };

  protected mergeRequestParams(params1: RequestParams, params2?: RequestParams): RequestParams {
    return {
      ...this.baseApiParams,
      ...params1,
      ...(params2 || {}),
      headers: {
        ...(this.baseApiParams.headers || {}),
        ...(params1.headers || {}),
        ...((params2 && params2.headers) || {}),
      },
    };
  }

  protected createAbortSignal = (cancelToken: CancelToken): AbortSignal | undefined => {
    if (this.abortControllers.has(cancelToken)) {
      const abortController = this.abortControllers.get(cancelToken);
      if (abortController) {
        return abortController.signal;
      }
      return void 0;
    }

    const abortController = new AbortController();
    this.abortControllers.set(cancelToken, abortController);
    return abortController.signal;
  };

  public abortRequest = (cancelToken: CancelToken) => {
    const abortController = this.abortControllers.get(cancelToken);

    if (abortController) {
      abortController.abort();
      this.abortControllers.delete(cancelToken);
    }
  };

  public request = async <T = any, E = any>({
    body,
    secure,
    path,
    type,
    query,
    format,
    baseUrl,
    cancelToken,
    ...params
  }: FullRequestParams): Promise<HttpResponse<T, E>> => {
    const secureParams =
      ((typeof secure === 'boolean' ? secure : this.baseApiParams.secure) &&
        this.securityWorker &&
        (await this.securityWorker(this.securityData))) ||
      {};
    const requestParams = this.mergeRequestParams(params, secureParams);
    const queryString = query && this.toQueryString(query);
    const payloadFormatter = this.contentFormatters[type || ContentType.Json];
    const responseFormat = format || requestParams.format;

    return this.customFetch(
      `${baseUrl || this.baseUrl || ''}${path}${queryString ? `?${queryString}` : ''}`,
      {
        ...requestParams,
        headers: {
          ...(requestParams.headers || {}),
          ...(type && type !== ContentType.FormData ? { 'Content-Type': type } : {}),
        },
        signal: (cancelToken ? this.createAbortSignal(cancelToken) : requestParams.signal) || null,
        body: typeof body === 'undefined' || body === null ? null : payloadFormatter(body),
      },
    ).then(async (response) => {
      const r = response as HttpResponse<T, E>;
      r.data = null as unknown as T;
      r.error = null as unknown as E;

      const responseToParse = responseFormat ? response.clone() : response;
      const data = !responseFormat
        ? r
        : await responseToParse[responseFormat]()
            .then((data) => {
              if (r.ok) {
                r.data = data;
              } else {
                r.error = data;
              }
              return r;
            })
            .catch((e) => {
              r.error = e;
              return r;
            });

      if (cancelToken) {
        this.abortControllers.delete(cancelToken);
      }

      if (!response.ok) throw data;
      return data;
    });
  };
}

/**
 * @title Prompt Card System API
 * @version 0.1.0
 * @license MIT
 * @baseUrl /
 *
 * Prompt cards, test cases and runs against models, with their monitoring. Every error body is `{"error": {"code", "message", "fields"?}}`; the codes are listed in docs/errors.md.
 *
 * ## WebSocket: run progress (`/ws`)
 *
 * Client → server:
 * - `{"type": "subscribe", "run_id": "<id>", "since": <n>}`: `since` is the number of results
 *   already seen (default 0);
 * - `{"type": "unsubscribe", "run_id": "<id>"}`.
 *
 * Server → client:
 * - `{"type": "subscribed", "run_id", "run": Run}`: the run as stored now;
 * - `{"type": "result", "run_id", "result": RunResult}`: every stored result after `since`,
 *   replayed from the database in completion order, then each new one live (never twice);
 * - `{"type": "run.started", "run_id", "run": Run}` and `{"type": "run.finished", "run_id", "run": Run}`
 *   (also sent at once when the run had already finished);
 * - `{"type": "error", "run_id"?, "message"}`: a malformed message, an unknown run or a failed
 *   subscription.
 *
 * A client that reconnects with `since` = the results it has seen misses nothing.
 */
export class Api<SecurityDataType extends unknown> {
  http: HttpClient<SecurityDataType>;

  constructor(http: HttpClient<SecurityDataType>) {
    this.http = http;
  }

  /**
   * No description
   *
   * @tags Platform
   * @name GetWebUi
   * @summary The web UI
   * @request GET:/
   * @secure
   */
  getWebUi = (params: RequestParams = {}) =>
    this.http.request<string, Error>({
      path: `/`,
      method: 'GET',
      secure: true,
      ...params,
    });

  api = {
    /**
     * No description
     *
     * @tags Alerts
     * @name ListFiringAlerts
     * @summary Alerts firing now
     * @request GET:/api/alerts
     * @secure
     */
    listFiringAlerts: (query: ListFiringAlertsParams = {}, params: RequestParams = {}) =>
      this.http.request<
        {
          items: StoredAlert[];
        },
        Error
      >({
        path: `/api/alerts`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Alerts
     * @name ListAlertHistory
     * @summary State changes of alerts, newest first
     * @request GET:/api/alerts/history
     * @secure
     */
    listAlertHistory: (query: ListAlertHistoryParams = {}, params: RequestParams = {}) =>
      this.http.request<
        {
          items: AlertEvent[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/alerts/history`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Alerts
     * @name ReceiveAlertmanagerWebhook
     * @summary Alertmanager's webhook receiver (payload version 4)
     * @request POST:/api/alerts/webhook
     * @secure
     */
    receiveAlertmanagerWebhook: (data: AlertmanagerWebhook, params: RequestParams = {}) =>
      this.http.request<
        {
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          received: number;
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          new: number;
        },
        Error
      >({
        path: `/api/alerts/webhook`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Analytics
     * @name ListAnalyticsAnomalies
     * @summary Anomalies found in the sampled series, or in a PromQL series scanned now
     * @request GET:/api/analytics/anomalies
     * @secure
     */
    listAnalyticsAnomalies: (
      query: ListAnalyticsAnomaliesParams = {},
      params: RequestParams = {},
    ) =>
      this.http.request<
        | {
            anomalies: Anomaly[];
          }
        | {
            query: string;
            /**
             * @min -9007199254740991
             * @max 9007199254740991
             */
            points: number;
            anomalies: Anomaly[];
          },
        Error
      >({
        path: `/api/analytics/anomalies`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Analytics
     * @name GetAnalyticsCapacity
     * @summary Capacity plans: when memory, disk or load cross their limits
     * @request GET:/api/analytics/capacity
     * @secure
     */
    getAnalyticsCapacity: (query: GetAnalyticsCapacityParams = {}, params: RequestParams = {}) =>
      this.http.request<
        {
          history_seconds: number;
          plans: CapacityPlan[];
        },
        Error
      >({
        path: `/api/analytics/capacity`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Analytics
     * @name GetAnalyticsForecast
     * @summary Forecast of a series with its prediction interval
     * @request GET:/api/analytics/forecast
     * @secure
     */
    getAnalyticsForecast: (query: GetAnalyticsForecastParams, params: RequestParams = {}) =>
      this.http.request<
        {
          series?: string;
          query?: string;
          /** @exclusiveMin 0 */
          step_seconds: number;
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          history_points: number;
          method: string;
          period_steps: number | null;
          forecast: {
            /** @format date-time */
            t: string;
            mean: number;
            lower: number;
            upper: number;
          }[];
        },
        Error
      >({
        path: `/api/analytics/forecast`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Analytics
     * @name GetAnalyticsSeries
     * @summary Without series/query: the series catalog (catalog order); with one: its points
     * @request GET:/api/analytics/series
     * @secure
     */
    getAnalyticsSeries: (query: GetAnalyticsSeriesParams = {}, params: RequestParams = {}) =>
      this.http.request<
        | {
            prometheus: boolean;
            series: {
              name: string;
              unit: string;
              description: string;
              kind: 'level' | 'rate' | 'monotonic' | 'ratio';
              worse: 'up' | 'down' | 'both';
              actionable: boolean;
              first: string | null;
              last: string | null;
              /**
               * @min 0
               * @max 9007199254740991
               */
              minutes: number;
            }[];
          }
        | {
            series?: string;
            query?: string;
            /** @exclusiveMin 0 */
            step_seconds: number;
            points: {
              /** @format date-time */
              t: string;
              v: number;
            }[];
          },
        Error
      >({
        path: `/api/analytics/series`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Models
     * @name ListAssertionTypes
     * @summary The assertion kinds a test case may use
     * @request GET:/api/assertion-types
     * @secure
     */
    listAssertionTypes: (params: RequestParams = {}) =>
      this.http.request<
        {
          items: AssertionType[];
        },
        Error
      >({
        path: `/api/assertion-types`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Access
     * @name ListAuditRecords
     * @summary The audit trail, newest first, with filters; admin
     * @request GET:/api/audit
     * @secure
     */
    listAuditRecords: (query: ListAuditRecordsParams = {}, params: RequestParams = {}) =>
      this.http.request<
        {
          items: AuditRecord[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
          signed: boolean;
        },
        Error
      >({
        path: `/api/audit`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Platform
     * @name GetApiReference
     * @summary The API reference (Swagger UI, served from this service, no CDN)
     * @request GET:/api/docs
     * @secure
     */
    getApiReference: (params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/api/docs`,
        method: 'GET',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Platform
     * @name GetApiReferenceAsset
     * @summary A file of the API reference page (Swagger UI's script and style)
     * @request GET:/api/docs/assets/{file}
     * @secure
     */
    getApiReferenceAsset: ({ file }: GetApiReferenceAssetParams, params: RequestParams = {}) =>
      this.http.request<Blob, Error>({
        path: `/api/docs/assets/${file}`,
        method: 'GET',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Access
     * @name ListApiKeys
     * @summary API keys (never the keys themselves); admin
     * @request GET:/api/keys
     * @secure
     */
    listApiKeys: (params: RequestParams = {}) =>
      this.http.request<
        {
          items: ApiKey[];
        },
        Error
      >({
        path: `/api/keys`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Access
     * @name CreateApiKey
     * @summary Create a key with a role; the answer is the only time the key is shown; admin
     * @request POST:/api/keys
     * @secure
     */
    createApiKey: (data: ApiKeyInput, params: RequestParams = {}) =>
      this.http.request<NewApiKey, Error>({
        path: `/api/keys`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Access
     * @name RevokeApiKey
     * @summary Revoke a key (revoking twice keeps the first time); admin
     * @request DELETE:/api/keys/{id}
     * @secure
     */
    revokeApiKey: ({ id }: RevokeApiKeyParams, params: RequestParams = {}) =>
      this.http.request<void, Error>({
        path: `/api/keys/${id}`,
        method: 'DELETE',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Platform
     * @name GetMetrics
     * @summary Prometheus text exposition, or OpenMetrics when Accept asks for application/openmetrics-text
     * @request GET:/api/metrics
     * @secure
     */
    getMetrics: (params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/api/metrics`,
        method: 'GET',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Models
     * @name ListModels
     * @summary Every provider's models; an unreachable provider is reported, not fatal
     * @request GET:/api/models
     * @secure
     */
    listModels: (params: RequestParams = {}) =>
      this.http.request<
        {
          providers: ProviderModels[];
        },
        Error
      >({
        path: `/api/models`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Platform
     * @name GetOpenApiDocument
     * @summary This OpenAPI 3.1 document
     * @request GET:/api/openapi.json
     * @secure
     */
    getOpenApiDocument: (params: RequestParams = {}) =>
      this.http.request<
        {
          openapi: string;
          info: {
            title: string;
            version: string;
            [key: string]: any;
          };
          paths: Partial<Record<string, any>>;
          [key: string]: any;
        },
        Error
      >({
        path: `/api/openapi.json`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name CreatePromptCard
     * @summary Create a prompt card; its variables are derived from the template
     * @request POST:/api/prompt-cards
     * @secure
     */
    createPromptCard: (data: PromptCardInput, params: RequestParams = {}) =>
      this.http.request<PromptCard, Error>({
        path: `/api/prompt-cards`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name ListPromptCards
     * @summary List and search cards (title/description text, tag), newest first
     * @request GET:/api/prompt-cards
     * @secure
     */
    listPromptCards: (query: ListPromptCardsParams = {}, params: RequestParams = {}) =>
      this.http.request<
        {
          items: PromptCard[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/prompt-cards`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name GetPromptCard
     * @summary Read a card
     * @request GET:/api/prompt-cards/{id}
     * @secure
     */
    getPromptCard: ({ id }: GetPromptCardParams, params: RequestParams = {}) =>
      this.http.request<PromptCard, Error>({
        path: `/api/prompt-cards/${id}`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name UpdatePromptCard
     * @summary Replace the writable fields of a card
     * @request PUT:/api/prompt-cards/{id}
     * @secure
     */
    updatePromptCard: (
      { id }: UpdatePromptCardParams,
      data: PromptCardInput,
      params: RequestParams = {},
    ) =>
      this.http.request<PromptCard, Error>({
        path: `/api/prompt-cards/${id}`,
        method: 'PUT',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name DeletePromptCard
     * @summary Delete a card and its test cases (409 while it has a queued or running run)
     * @request DELETE:/api/prompt-cards/{id}
     * @secure
     */
    deletePromptCard: ({ id }: DeletePromptCardParams, params: RequestParams = {}) =>
      this.http.request<void, Error>({
        path: `/api/prompt-cards/${id}`,
        method: 'DELETE',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Ratings
     * @name GetJudgeAgreement
     * @summary How often the card's assertions agree with people's ratings, per model (also the prompt_judge_human_agreement_ratio gauge)
     * @request GET:/api/prompt-cards/{id}/agreement
     * @secure
     */
    getJudgeAgreement: ({ id }: GetJudgeAgreementParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: JudgeAgreement[];
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/agreement`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Online evaluation
     * @name ListOnlineEvaluations
     * @summary A card’s online evaluations (pending and judged), newest span first
     * @request GET:/api/prompt-cards/{id}/online-evaluations
     * @secure
     */
    listOnlineEvaluations: (
      { id, ...query }: ListOnlineEvaluationsParams,
      params: RequestParams = {},
    ) =>
      this.http.request<
        {
          items: OnlineEvaluation[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/online-evaluations`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Online evaluation
     * @name SummariseOnlineEvaluations
     * @summary A card’s online verdicts counted per hour or day of span end (default 48 hours or 30 days, oldest first, empty buckets included)
     * @request GET:/api/prompt-cards/{id}/online-evaluations/summary
     * @secure
     */
    summariseOnlineEvaluations: (
      { id, ...query }: SummariseOnlineEvaluationsParams,
      params: RequestParams = {},
    ) =>
      this.http.request<OnlineEvaluationSummary, Error>({
        path: `/api/prompt-cards/${id}/online-evaluations/summary`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Online evaluation
     * @name CreateOnlineRule
     * @summary Add an online evaluation rule to a card; editor
     * @request POST:/api/prompt-cards/{id}/online-rules
     * @secure
     */
    createOnlineRule: (
      { id }: CreateOnlineRuleParams,
      data: OnlineEvaluationRuleInput,
      params: RequestParams = {},
    ) =>
      this.http.request<OnlineEvaluationRule, Error>({
        path: `/api/prompt-cards/${id}/online-rules`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Online evaluation
     * @name ListOnlineRules
     * @summary A card’s online evaluation rules, oldest first
     * @request GET:/api/prompt-cards/{id}/online-rules
     * @secure
     */
    listOnlineRules: ({ id }: ListOnlineRulesParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: OnlineEvaluationRule[];
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/online-rules`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Online evaluation
     * @name DeleteOnlineRule
     * @summary Remove an online evaluation rule and its evaluations; editor
     * @request DELETE:/api/prompt-cards/{id}/online-rules/{ruleId}
     * @secure
     */
    deleteOnlineRule: ({ id, ruleId }: DeleteOnlineRuleParams, params: RequestParams = {}) =>
      this.http.request<void, Error>({
        path: `/api/prompt-cards/${id}/online-rules/${ruleId}`,
        method: 'DELETE',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name CreateRun
     * @summary Run every test case of the card against each model; stored as 'queued' first
     * @request POST:/api/prompt-cards/{id}/runs
     * @secure
     */
    createRun: ({ id }: CreateRunParams, data: RunRequest, params: RequestParams = {}) =>
      this.http.request<Run, Error>({
        path: `/api/prompt-cards/${id}/runs`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name ListRuns
     * @summary The card's runs, newest first
     * @request GET:/api/prompt-cards/{id}/runs
     * @secure
     */
    listRuns: ({ id, ...query }: ListRunsParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: Run[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/runs`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name CreateTestCase
     * @summary Add a test case; it must give every variable of the card's template
     * @request POST:/api/prompt-cards/{id}/test-cases
     * @secure
     */
    createTestCase: (
      { id }: CreateTestCaseParams,
      data: TestCaseInput,
      params: RequestParams = {},
    ) =>
      this.http.request<TestCase, Error>({
        path: `/api/prompt-cards/${id}/test-cases`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name ListTestCases
     * @summary List a card's test cases, oldest first
     * @request GET:/api/prompt-cards/{id}/test-cases
     * @secure
     */
    listTestCases: ({ id, ...query }: ListTestCasesParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: TestCase[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/test-cases`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name ImportTestCases
     * @summary Import test cases from a JSON array, JSON Lines or CSV body, in one transaction (?mode=sync makes them exactly the rows, by name)
     * @request POST:/api/prompt-cards/{id}/test-cases/import
     * @secure
     */
    importTestCases: (
      { id, ...query }: ImportTestCasesParams,
      data: any,
      params: RequestParams = {},
    ) =>
      this.http.request<
        {
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          created: number;
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          updated: number;
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          deleted: number;
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          unchanged: number;
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/test-cases/import`,
        method: 'POST',
        query: query,
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name ListPromptVersions
     * @summary The card's template versions, newest first, a page at a time
     * @request GET:/api/prompt-cards/{id}/versions
     * @secure
     */
    listPromptVersions: ({ id, ...query }: ListPromptVersionsParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: PromptVersion[];
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/versions`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name DiffPromptVersions
     * @summary A line diff from version `from` (old) to `to` (new) under a budget, and the variables added and removed
     * @request GET:/api/prompt-cards/{id}/versions/{from}/diff/{to}
     * @secure
     */
    diffPromptVersions: ({ id, from, to }: DiffPromptVersionsParams, params: RequestParams = {}) =>
      this.http.request<
        {
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          from: number;
          /**
           * @min -9007199254740991
           * @max 9007199254740991
           */
          to: number;
          /** Lines of `from` only are `remove`, lines of `to` only are `add` */
          lines: {
            op: 'keep' | 'remove' | 'add';
            text: string;
          }[];
          /** False when aligning the lines both versions share needed more than `max_edit_lines` removed plus added lines or `deadline_ms`: the changed middle (between the common first and last lines) is then shown as every old line removed, then every new line added (still a correct diff, not the shortest) */
          exact: boolean;
          /**
           * The edit budget of the line alignment
           * @min -9007199254740991
           * @max 9007199254740991
           */
          max_edit_lines: number;
          /**
           * The time budget of the line alignment, ms
           * @min -9007199254740991
           * @max 9007199254740991
           */
          deadline_ms: number;
          variables_added: string[];
          variables_removed: string[];
        },
        Error
      >({
        path: `/api/prompt-cards/${id}/versions/${from}/diff/${to}`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Ratings
     * @name RateResult
     * @summary Rate a result (thumbs up or down, a comment); replaces the result's rating
     * @request PUT:/api/results/{id}/rating
     * @secure
     */
    rateResult: ({ id }: RateResultParams, data: RatingRequest, params: RequestParams = {}) =>
      this.http.request<Rating, Error>({
        path: `/api/results/${id}/rating`,
        method: 'PUT',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Ratings
     * @name GetResultRating
     * @summary A result's rating
     * @request GET:/api/results/{id}/rating
     * @secure
     */
    getResultRating: ({ id }: GetResultRatingParams, params: RequestParams = {}) =>
      this.http.request<Rating, Error>({
        path: `/api/results/${id}/rating`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Ratings
     * @name RemoveResultRating
     * @summary Remove a result's rating
     * @request DELETE:/api/results/{id}/rating
     * @secure
     */
    removeResultRating: ({ id }: RemoveResultRatingParams, params: RequestParams = {}) =>
      this.http.request<void, Error>({
        path: `/api/results/${id}/rating`,
        method: 'DELETE',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name GetRun
     * @summary Status, progress counts and the summary per model
     * @request GET:/api/runs/{id}
     * @secure
     */
    getRun: ({ id }: GetRunParams, params: RequestParams = {}) =>
      this.http.request<Run, Error>({
        path: `/api/runs/${id}`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name CancelRun
     * @summary Cancel a queued or running run (in-flight calls are aborted)
     * @request POST:/api/runs/{id}/cancel
     * @secure
     */
    cancelRun: ({ id }: CancelRunParams, params: RequestParams = {}) =>
      this.http.request<Run, Error>({
        path: `/api/runs/${id}/cancel`,
        method: 'POST',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name CompareRuns
     * @summary Verdict changes per test case and model, and per model the pass-rate difference with McNemar's exact test (bootstrap interval with repeat > 1)
     * @request GET:/api/runs/{id}/compare/{baseline}
     * @secure
     */
    compareRuns: ({ id, baseline, ...query }: CompareRunsParams, params: RequestParams = {}) =>
      this.http.request<RunComparison, Error>({
        path: `/api/runs/${id}/compare/${baseline}`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Ratings
     * @name ListRunRatings
     * @summary Every rating of the run's results, oldest first
     * @request GET:/api/runs/{id}/ratings
     * @secure
     */
    listRunRatings: ({ id }: ListRunRatingsParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: Rating[];
        },
        Error
      >({
        path: `/api/runs/${id}/ratings`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name ListRunResults
     * @summary Results in completion order
     * @request GET:/api/runs/{id}/results
     * @secure
     */
    listRunResults: ({ id, ...query }: ListRunResultsParams, params: RequestParams = {}) =>
      this.http.request<
        {
          items: RunResult[];
          /**
           * @min 0
           * @max 9007199254740991
           */
          total: number;
          /**
           * @exclusiveMin 0
           * @max 9007199254740991
           */
          limit: number;
          /**
           * @min 0
           * @max 9007199254740991
           */
          offset: number;
          /** Send as `after` to read the next page (keyset: as fast at the end of the list as at its start); null when this page is the last */
          next: string | null;
        },
        Error
      >({
        path: `/api/runs/${id}/results`,
        method: 'GET',
        query: query,
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name ExportRunResultsCsv
     * @summary Every result of the run, streamed as CSV
     * @request GET:/api/runs/{id}/results.csv
     * @secure
     */
    exportRunResultsCsv: ({ id }: ExportRunResultsCsvParams, params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/api/runs/${id}/results.csv`,
        method: 'GET',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name ExportRunResultsJsonl
     * @summary Every result of the run, streamed as JSON Lines
     * @request GET:/api/runs/{id}/results.jsonl
     * @secure
     */
    exportRunResultsJsonl: ({ id }: ExportRunResultsJsonlParams, params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/api/runs/${id}/results.jsonl`,
        method: 'GET',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Runs
     * @name ResumeRun
     * @summary Run the missing items of an interrupted or cancelled run
     * @request POST:/api/runs/{id}/resume
     * @secure
     */
    resumeRun: ({ id }: ResumeRunParams, params: RequestParams = {}) =>
      this.http.request<Run, Error>({
        path: `/api/runs/${id}/resume`,
        method: 'POST',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name GetTestCase
     * @summary Read a test case
     * @request GET:/api/test-cases/{id}
     * @secure
     */
    getTestCase: ({ id }: GetTestCaseParams, params: RequestParams = {}) =>
      this.http.request<TestCase, Error>({
        path: `/api/test-cases/${id}`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name UpdateTestCase
     * @summary Replace the writable fields of a test case
     * @request PUT:/api/test-cases/{id}
     * @secure
     */
    updateTestCase: (
      { id }: UpdateTestCaseParams,
      data: TestCaseInput,
      params: RequestParams = {},
    ) =>
      this.http.request<TestCase, Error>({
        path: `/api/test-cases/${id}`,
        method: 'PUT',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Prompt cards
     * @name DeleteTestCase
     * @summary Delete a test case
     * @request DELETE:/api/test-cases/{id}
     * @secure
     */
    deleteTestCase: ({ id }: DeleteTestCaseParams, params: RequestParams = {}) =>
      this.http.request<void, Error>({
        path: `/api/test-cases/${id}`,
        method: 'DELETE',
        secure: true,
        ...params,
      }),

    /**
     * No description
     *
     * @tags Online evaluation
     * @name ExportTraces
     * @summary OTLP/HTTP trace export (application/x-protobuf or OTLP/JSON, gzip allowed); ingest role
     * @request POST:/api/v1/traces
     * @secure
     */
    exportTraces: (data: ExportTraceServiceRequest, params: RequestParams = {}) =>
      this.http.request<ExportTraceServiceResponse, Error>({
        path: `/api/v1/traces`,
        method: 'POST',
        body: data,
        secure: true,
        type: ContentType.Json,
        format: 'json',
        ...params,
      }),
  };
  assets = {
    /**
     * No description
     *
     * @tags Platform
     * @name GetWebUiAsset
     * @summary A file of the web UI's build (hashed names, cached for a year)
     * @request GET:/assets/{file}
     * @secure
     */
    getWebUiAsset: ({ file }: GetWebUiAssetParams, params: RequestParams = {}) =>
      this.http.request<Blob, Error>({
        path: `/assets/${file}`,
        method: 'GET',
        secure: true,
        ...params,
      }),
  };
  docs = {
    /**
     * No description
     *
     * @tags Platform
     * @name GetRunbook
     * @summary An alert's runbook (Markdown), as its runbook_url names it
     * @request GET:/docs/runbooks/{file}
     * @secure
     */
    getRunbook: ({ file }: GetRunbookParams, params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/docs/runbooks/${file}`,
        method: 'GET',
        secure: true,
        ...params,
      }),
  };
  faviconIco = {
    /**
     * No description
     *
     * @tags Platform
     * @name GetFavicon
     * @summary The web UI's icon (SVG)
     * @request GET:/favicon.ico
     * @secure
     */
    getFavicon: (params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/favicon.ico`,
        method: 'GET',
        secure: true,
        format: 'blob',
        ...params,
      }),
  };
  faviconSvg = {
    /**
     * No description
     *
     * @tags Platform
     * @name GetFaviconSvg
     * @summary The web UI's icon (the same as /favicon.ico)
     * @request GET:/favicon.svg
     * @secure
     */
    getFaviconSvg: (params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/favicon.svg`,
        method: 'GET',
        secure: true,
        format: 'blob',
        ...params,
      }),
  };
  health = {
    /**
     * No description
     *
     * @tags Health
     * @name GetServiceHealth
     * @summary One health check by name; 503 when it fails
     * @request GET:/health/{service}
     * @secure
     */
    getServiceHealth: ({ service }: GetServiceHealthParams, params: RequestParams = {}) =>
      this.http.request<HealthCheckResult, Error | HealthCheckResult>({
        path: `/health/${service}`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),

    /**
     * No description
     *
     * @tags Health
     * @name GetComprehensiveHealth
     * @summary Every health check; 503 when a critical one fails
     * @request GET:/health/comprehensive
     * @secure
     */
    getComprehensiveHealth: (params: RequestParams = {}) =>
      this.http.request<ComprehensiveHealth, Error | ComprehensiveHealth>({
        path: `/health/comprehensive`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),
  };
  indexHtml = {
    /**
     * No description
     *
     * @tags Platform
     * @name GetWebUiPage
     * @summary The web UI (the same page as /)
     * @request GET:/index.html
     * @secure
     */
    getWebUiPage: (params: RequestParams = {}) =>
      this.http.request<string, Error>({
        path: `/index.html`,
        method: 'GET',
        secure: true,
        ...params,
      }),
  };
  live = {
    /**
     * No description
     *
     * @tags Health
     * @name GetLiveness
     * @summary Liveness probe: the event loop answers
     * @request GET:/live
     * @secure
     */
    getLiveness: (params: RequestParams = {}) =>
      this.http.request<
        {
          live: boolean;
        },
        Error
      >({
        path: `/live`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),
  };
  ready = {
    /**
     * No description
     *
     * @tags Health
     * @name GetReadiness
     * @summary Readiness probe: critical checks pass and the server is not shutting down
     * @request GET:/ready
     * @secure
     */
    getReadiness: (params: RequestParams = {}) =>
      this.http.request<
        {
          ready: boolean;
        },
        | Error
        | {
            ready: boolean;
          }
      >({
        path: `/ready`,
        method: 'GET',
        secure: true,
        format: 'json',
        ...params,
      }),
  };
}
