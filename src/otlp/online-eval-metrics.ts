/**
 * The online evaluation's Prometheus series, registered on the process's registry. Labels that
 * come from users (card, model, assertion) go through the cardinality guard.
 *
 * - `prompt_card_otlp_spans_total{outcome}`: spans received (`seen`), sampled into an
 *   evaluation (`sampled`), rejected by partial success (`rejected`).
 * - `prompt_card_online_evaluations_total{card,model,assertion,outcome}`: one per assertion
 *   verdict; outcome `passed`, `failed`, `not_judged` (no assertion applied), `error`.
 * - `prompt_card_online_evaluation_lag_seconds`: span end to verdict.
 * - `prompt_card_online_evaluation_backlog`: pending evaluations (read at scrape time).
 * - `prompt_card_online_evaluation_oldest_pending_age_seconds`: how long the oldest pending
 *   evaluation has waited since it was received (0 when none; read at scrape time).
 * - `prompt_card_online_evaluations_not_judged_total{reason}`: evaluations stored not judged,
 *   reason `budget` (the daily judge budget is spent) or `no_assertions`.
 * - `prompt_card_online_evaluation_score{card}`: the score (0..1) of each judged evaluation.
 *
 * The judge's own calls (calls, errors, latency, tokens, cost by judge model) are the model
 * client's GenAI series with `operation="online_grader"`.
 */
import client from 'prom-client';
import { METRIC, type Metrics } from '../telemetry/metrics/index.js';
import type { NotJudgedReason } from './online-eval-store.js';

export type EvaluationOutcome = 'passed' | 'failed' | 'not_judged' | 'error';

export interface OnlineEvalMetrics {
  spans(outcome: 'seen' | 'sampled' | 'rejected', count: number): void;
  verdict(card: string, model: string, assertion: string, outcome: EvaluationOutcome): void;
  lag(seconds: number): void;
  notJudged(reason: NotJudgedReason): void;
  /** `score`: 0..1, of an evaluation that was judged. */
  score(card: string, score: number): void;
}

/** Read at scrape time from the shared store. */
export interface BacklogReader {
  /** Pending evaluations. */
  backlog(): Promise<number>;
  /** Seconds the oldest pending evaluation has waited; 0 when none. */
  oldestPendingAgeSeconds(): Promise<number>;
}

const NONE: OnlineEvalMetrics = {
  spans: () => {},
  verdict: () => {},
  lag: () => {},
  notJudged: () => {},
  score: () => {},
};

/** No-op when metrics are off; the backlog gauges are read at scrape time. */
export function onlineEvalMetrics(
  metrics: Metrics | undefined,
  store: BacklogReader,
): OnlineEvalMetrics {
  if (metrics === undefined) return NONE;
  const registers = [metrics.registry];
  const spans = new client.Counter({
    name: METRIC.otlpSpans,
    help: 'OTLP spans received (seen), sampled into an online evaluation, or rejected',
    labelNames: ['outcome'],
    registers,
  });
  const evaluations = new client.Counter({
    name: METRIC.onlineEvaluations,
    help: 'Online evaluation verdicts by card id, model, assertion type and outcome',
    labelNames: ['card', 'model', 'assertion', 'outcome'],
    registers,
  });
  const lag = new client.Histogram({
    name: METRIC.onlineEvaluationLag,
    help: 'Seconds from the end of a span to its online evaluation verdict',
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  new client.Gauge({
    name: METRIC.onlineEvaluationBacklog,
    help: 'Online evaluations waiting to be judged',
    registers,
    async collect() {
      this.set(await store.backlog().catch(() => 0));
    },
  });
  new client.Gauge({
    name: METRIC.onlineEvaluationOldestPendingAge,
    help: 'Seconds the oldest pending online evaluation has waited since it was received',
    registers,
    async collect() {
      this.set(await store.oldestPendingAgeSeconds().catch(() => 0));
    },
  });
  const notJudged = new client.Counter({
    name: METRIC.onlineEvaluationsNotJudged,
    help: 'Online evaluations stored not judged, by reason (budget, no_assertions)',
    labelNames: ['reason'],
    registers,
  });
  const scores = new client.Histogram({
    name: METRIC.onlineEvaluationScore,
    help: 'Score (0..1) of judged online evaluations by card id',
    labelNames: ['card'],
    buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    registers,
  });
  return {
    spans: (outcome, count) => {
      if (count > 0) spans.inc({ outcome }, count);
    },
    verdict: (card, model, assertion, outcome) =>
      evaluations.inc(
        metrics.admit(METRIC.onlineEvaluations, { card, model, assertion, outcome }, [
          'card',
          'model',
          'assertion',
        ]),
      ),
    lag: (seconds) => lag.observe(Math.max(0, seconds)),
    notJudged: (reason) => notJudged.inc({ reason }),
    score: (card, score) =>
      scores.observe(metrics.admit(METRIC.onlineEvaluationScore, { card }, ['card']), score),
  };
}
