/**
 * What the time series sink writes, as points (pure functions):
 * - `run_result`, one per stored result: tags `card`, `model`, `prompt_type`, `outcome`
 *   (passed | failed | error); fields latency_ms, score, input/output_tokens, cost_usd,
 *   attempts, and run_id / test_case_id as string fields (ids are never tags: unbounded).
 * - `run_model_summary`, one per model of a finished run: tags `card`, `model`, `prompt_type`,
 *   `status`; fields pass_rate, mean_score, latency_p50_ms, latency_p95_ms, input/output_tokens,
 *   cost_usd, results, passed, errored, run_id.
 * - `analytics_sample`, one per analytics series and sample: tags `series` (the name before
 *   the first colon) and `model` (after it, when present); field `value`.
 * Cards carry no prompt version, so points carry none.
 */
import type { RunObserver } from '../runs/index.js';
import type { Point } from './line-protocol.js';
import type { TimeSeriesSink } from './time-series-sink.js';

/** The measurements the sink writes (dashboards and tests take the names from here). */
export const MEASUREMENT = {
  result: 'run_result',
  summary: 'run_model_summary',
  sample: 'analytics_sample',
} as const;

type ResultArgs = Parameters<NonNullable<RunObserver['onResult']>>;
type FinishedArgs = Parameters<NonNullable<RunObserver['onRunFinished']>>;

const promptType = (tags: readonly string[]) => tags[0] ?? 'default';

export function resultPoint(...[run, outcome, cardTags]: ResultArgs): Point {
  const row = outcome.result;
  return {
    measurement: MEASUREMENT.result,
    tags: {
      card: run.prompt_card_id,
      model: row.model,
      prompt_type: promptType(cardTags),
      outcome: row.error !== null ? 'error' : row.passed ? 'passed' : 'failed',
    },
    fields: {
      latency_ms: row.latency_ms,
      score: row.score,
      input_tokens: row.input_tokens,
      output_tokens: row.output_tokens,
      cost_usd: row.cost_usd,
      attempts: row.attempts,
      run_id: row.run_id,
      test_case_id: row.test_case_id,
    },
    timestamp: Date.parse(row.created_at),
  };
}

export function summaryPoints(...[run, cardTags]: FinishedArgs): Point[] {
  const timestamp = Date.parse(run.finished_at ?? new Date().toISOString());
  return run.summary.map((s) => ({
    measurement: MEASUREMENT.summary,
    tags: {
      card: run.prompt_card_id,
      model: s.model,
      prompt_type: promptType(cardTags),
      status: run.status,
    },
    fields: {
      pass_rate: s.pass_rate,
      mean_score: s.mean_score,
      latency_p50_ms: s.latency_ms.p50,
      latency_p95_ms: s.latency_ms.p95,
      input_tokens: s.tokens.input,
      output_tokens: s.tokens.output,
      cost_usd: s.cost_usd,
      results: s.results,
      passed: s.passed,
      errored: s.errored,
      run_id: run.id,
    },
    timestamp,
  }));
}

export function samplePoints(at: number, values: ReadonlyMap<string, number>): Point[] {
  return [...values].map(([series, value]): Point => {
    const colon = series.indexOf(':');
    const tags: Record<string, string> =
      colon < 0 ? { series } : { series: series.slice(0, colon), model: series.slice(colon + 1) };
    return {
      measurement: MEASUREMENT.sample,
      tags,
      fields: { value },
      timestamp: at,
    };
  });
}

/** A run observer writing results and summaries to the sink (never throws). */
export function timeSeriesObserver(sink: TimeSeriesSink): RunObserver {
  return {
    onResult: (...args) => sink.write([resultPoint(...args)]),
    onRunFinished: (...args) => sink.write(summaryPoints(...args)),
  };
}
