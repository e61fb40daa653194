/**
 * Judges pending online evaluations with the run path's assertion code (src/assertions): the
 * rule's assertions, or by default every distinct assertion of the card's test cases (those do
 * not depend on a test case's expected output). Claims jobs under a lease, so after a crash
 * another process (or this one after restart) takes them up again once the lease expires; an
 * evaluation is completed once, then counted.
 */
import type { AssertionSpec } from '../assertions/index.js';
import { evaluateAssertions, evaluationError } from '../assertions/index.js';
import type { CardStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import type { OnlineEvalMetrics } from './online-eval-metrics.js';
import type { OnlineEvalStore, OnlineEvaluation, OnlineRule } from './online-eval-store.js';

export interface OnlineEvaluatorOptions {
  readonly store: OnlineEvalStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly metrics: OnlineEvalMetrics;
  readonly logger: Logger;
  readonly concurrency: number;
  /** How long a claimed evaluation stays this process's (ms). */
  readonly leaseMs?: number;
  /** Poll interval when idle (ms). */
  readonly idleMs?: number;
}

export class OnlineEvaluator {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly options: OnlineEvaluatorOptions) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Ask for an immediate pass (the receiver calls it after enqueueing). */
  poke(): void {
    this.wake?.();
  }

  async close(deadlineMs: number): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const timer = setTimeout(() => this.abort.abort(new Error('shutting down')), deadlineMs);
    await this.loop;
    clearTimeout(timer);
  }

  /** Judges what is pending now; returns how many were judged (tests and the loop use it). */
  async drainOnce(): Promise<number> {
    const { store, concurrency, leaseMs = 60_000 } = this.options;
    const jobs = await store.claim(concurrency, leaseMs);
    if (jobs.length === 0) return 0;
    const rules = new Map((await store.listRules()).map((r) => [r.id, r]));
    await Promise.all(jobs.map((job) => this.judge(job, rules.get(job.rule_id))));
    return jobs.length;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let judged = 0;
      try {
        judged = await this.drainOnce();
      } catch (error) {
        this.options.logger.warn({ err: error }, 'online evaluation pass failed');
      }
      if (judged === 0 && !this.stopped)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.idleMs ?? 1000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
    }
  }

  private async judge(job: OnlineEvaluation, rule: OnlineRule | undefined): Promise<void> {
    const { store, models, metrics } = this.options;
    const specs = rule?.assertions ?? (await this.cardAssertions(job.prompt_card_id));
    const evaluation = await evaluateAssertions(specs, {
      output: job.output,
      latencyMs: 0,
      costUsd: null,
      signal: this.abort.signal,
      embed: (texts, s) => models.embed(texts, s),
      grade: (rubric, output, s) => models.grade(rubric, output, s),
    });
    const error = evaluationError(evaluation);
    await store.complete(job.id, {
      judged: evaluation.judged,
      pass: evaluation.pass,
      score: evaluation.score,
      results: evaluation.results,
      error: error?.message ?? null,
    });
    const model = job.model ?? 'unknown';
    if (!evaluation.judged) metrics.verdict(job.prompt_card_id, model, 'none', 'not_judged');
    for (const result of evaluation.results)
      metrics.verdict(
        job.prompt_card_id,
        model,
        result.type,
        result.error !== undefined ? 'error' : result.pass ? 'passed' : 'failed',
      );
    metrics.lag((Date.now() - Date.parse(job.span_ended_at)) / 1000);
  }

  private async cardAssertions(cardId: string): Promise<AssertionSpec[]> {
    const seen = new Map<string, AssertionSpec>();
    for (let offset = 0; ; offset += 100) {
      const page = await this.options.cards.listTestCases(cardId, { limit: 100, offset });
      for (const testCase of page.items)
        for (const spec of testCase.assertions) seen.set(JSON.stringify(spec), spec);
      if (offset + 100 >= page.total) break;
    }
    return [...seen.values()];
  }
}
