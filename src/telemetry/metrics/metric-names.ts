/**
 * Every metric name the service exports, in one place: the registry, the alert rules and the
 * dashboards take their names from here, so none can name a metric that does not exist.
 */
export const METRIC = {
  httpRequestDuration: 'http_request_duration_seconds',
  httpRequestsTotal: 'http_requests_total',
  promptEffectiveness: 'prompt_effectiveness_score',
  modelPerformance: 'model_performance_comparison',
  resourceEfficiency: 'resource_efficiency_ratio',
  testExecutions: 'test_executions_total',
  activeWebsocketConnections: 'active_websocket_connections',
  websocketTerminated: 'websocket_connections_terminated_total',
  genAiOperationDuration: 'gen_ai_client_operation_duration_seconds',
  genAiTokenUsage: 'gen_ai_client_token_usage',
  genAiCost: 'gen_ai_client_cost_usd_total',
  runsFinished: 'runs_finished_total',
  runDuration: 'run_duration_seconds',
  runQueueDepth: 'run_queue_depth_items',
  runQueueOldestJobAge: 'run_queue_oldest_job_age_seconds',
  runQueueJobs: 'run_queue_jobs_total',
  runLeasesActive: 'run_leases_active',
  runLeaseTakeovers: 'run_lease_takeovers_total',
  answerCacheRequests: 'model_answer_cache_requests_total',
  cardinalityOverflow: 'metrics_cardinality_overflow_total',
  telemetryErrors: 'telemetry_errors_total',
  alertNotifications: 'alert_notifications_total',
  promptCardRegressions: 'prompt_card_regressions_total',
  judgeHumanAgreement: 'prompt_judge_human_agreement_ratio',
  alertWebhookTruncated: 'alert_webhook_truncated_alerts_total',
  healthCheckStatus: 'health_check_status',
  healthCheckDuration: 'health_check_duration_seconds',
  anomalyScore: 'anomaly_score',
  sinkWrites: 'sink_writes_total',
  sinkQueueDepth: 'sink_queue_depth',
  otlpSpans: 'prompt_card_otlp_spans_total',
  onlineEvaluations: 'prompt_card_online_evaluations_total',
  onlineEvaluationsNotJudged: 'prompt_card_online_evaluations_not_judged_total',
  onlineEvaluationLag: 'prompt_card_online_evaluation_lag_seconds',
  onlineEvaluationBacklog: 'prompt_card_online_evaluation_backlog',
  onlineEvaluationOldestPendingAge: 'prompt_card_online_evaluation_oldest_pending_age_seconds',
  onlineEvaluationScore: 'prompt_card_online_evaluation_score',
} as const;

/** Seconds; covers a fast API's milliseconds up to slow model-backed calls. */
export const DEFAULT_HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** OpenTelemetry GenAI semantic conventions: gen_ai.client.operation.duration buckets (s). */
export const GEN_AI_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** OpenTelemetry GenAI semantic conventions: gen_ai.client.token.usage buckets (tokens). */
export const GEN_AI_TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

export const EFFECTIVENESS_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
export const RUN_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];
