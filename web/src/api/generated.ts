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
