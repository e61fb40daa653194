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
 */
import client from 'prom-client';
import type { Metrics } from '../telemetry/metrics/index.js';

export type EvaluationOutcome = 'passed' | 'failed' | 'not_judged' | 'error';

export interface OnlineEvalMetrics {
  spans(outcome: 'seen' | 'sampled' | 'rejected', count: number): void;
  verdict(card: string, model: string, assertion: string, outcome: EvaluationOutcome): void;
  lag(seconds: number): void;
}

const NONE: OnlineEvalMetrics = { spans: () => {}, verdict: () => {}, lag: () => {} };

/** No-op when metrics are off; `backlog` is read at scrape time. */
export function onlineEvalMetrics(
  metrics: Metrics | undefined,
  backlog: () => Promise<number>,
): OnlineEvalMetrics {
  if (metrics === undefined) return NONE;
  const registers = [metrics.registry];
  const spans = new client.Counter({
    name: 'prompt_card_otlp_spans_total',
    help: 'OTLP spans received (seen), sampled into an online evaluation, or rejected',
    labelNames: ['outcome'],
    registers,
  });
  const evaluations = new client.Counter({
    name: 'prompt_card_online_evaluations_total',
    help: 'Online evaluation verdicts by card id, model, assertion type and outcome',
    labelNames: ['card', 'model', 'assertion', 'outcome'],
    registers,
  });
  const lag = new client.Histogram({
    name: 'prompt_card_online_evaluation_lag_seconds',
    help: 'Seconds from the end of a span to its online evaluation verdict',
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers,
  });
  new client.Gauge({
    name: 'prompt_card_online_evaluation_backlog',
    help: 'Online evaluations waiting to be judged',
    registers,
    async collect() {
      this.set(await backlog().catch(() => 0));
    },
  });
  return {
    spans: (outcome, count) => {
      if (count > 0) spans.inc({ outcome }, count);
    },
    verdict: (card, model, assertion, outcome) =>
      evaluations.inc(
        metrics.admit('prompt_card_online_evaluations_total', { card, model, assertion, outcome }, [
          'card',
          'model',
          'assertion',
        ]),
      ),
    lag: (seconds) => lag.observe(Math.max(0, seconds)),
  };
}
