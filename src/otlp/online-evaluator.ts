/**
 * Judges pending online evaluations with the run path's assertion code (src/assertions): the
 * rule's assertions, or by default every distinct assertion of the card's test cases (those do
 * not depend on a test case's expected output). Claims jobs under a lease, so after a crash
 * another process (or this one after restart) takes them up again once the lease expires; an
 * evaluation is completed once, then counted.
 *
 * Leases: a claimed evaluation's lease is renewed every third of the lease period while it is
 * judged (a heartbeat), so a judge slower than the lease does not let another process take it;
 * a process that dies stops renewing, and its evaluations are taken up once the lease expires.
 * Should two processes still judge one evaluation (a heartbeat late by a whole lease), the first
 * verdict stored wins and only it is counted.
 *
 * Limits: a rule's `judge_concurrency` bounds how many of its evaluations this process judges
 * at once (the claimed batch is at most `concurrency`), and with shared judge slots (Redis, see
 * judge-slots.ts) how many every process together judges. With a daily budget (USD, UTC day), the
 * spend of today's judge calls is read from the store at each pass and added to as calls return;
 * once it reaches the budget, evaluations whose assertions call a model are stored not judged
 * with reason `budget` (the others, which cost nothing, are still judged). Calls already in
 * flight when the budget is reached may pass it by their own cost. An evaluation with no
 * assertion at all is stored not judged with reason `no_assertions`.
 */
import type { AssertionSpec } from '../assertions/index.js';
import { callsModel, evaluateAssertions, evaluationError } from '../assertions/index.js';
import type { CardStore } from '../cards/index.js';
import type { ModelClient } from '../providers/index.js';
import type { Logger } from '../telemetry/logging/index.js';
import { emitEvaluationResults } from './evaluation-events.js';
import { inPool } from './in-pool.js';
import { localJudgeSlots, type JudgeSlots } from './judge-slots.js';
import type { OnlineEvalMetrics } from './online-eval-metrics.js';
import type {
  NotJudgedReason,
  OnlineEvalStore,
  OnlineEvaluation,
  OnlineRule,
} from './online-eval-store.js';

export interface OnlineEvaluatorOptions {
  readonly store: OnlineEvalStore;
  readonly cards: CardStore;
  readonly models: ModelClient;
  readonly metrics: OnlineEvalMetrics;
  readonly logger: Logger;
  readonly concurrency: number;
  /** Daily judge budget in USD (UTC day); undefined: none. */
  readonly budgetUsd?: number | undefined;
  /** How long a claimed evaluation stays this process's (ms). */
  readonly leaseMs?: number;
  /** Poll interval when idle (ms). */
  readonly idleMs?: number;
  /** A rule's judge slots across processes; default: none (the per-process limit only). */
  readonly slots?: JudgeSlots;
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
    const budget = await this.todaysBudget();
    const byRule = new Map<string, OnlineEvaluation[]>();
    for (const job of jobs) byRule.set(job.rule_id, [...(byRule.get(job.rule_id) ?? []), job]);
    const open = new Set(jobs.map((job) => job.id));
    const heartbeat = this.heartbeat(open, [...byRule.keys()], leaseMs);
    try {
      await Promise.all(
        [...byRule].map(([ruleId, ruleJobs]) => {
          const rule = rules.get(ruleId);
          const limit = rule?.judge_concurrency ?? null;
          return inPool(ruleJobs, limit ?? ruleJobs.length, async (job) => {
            const release =
              limit === null
                ? undefined
                : await this.slots.acquire(ruleId, limit, this.abort.signal);
            try {
              await this.judge(job, rule, budget);
            } finally {
              release?.();
              open.delete(job.id);
            }
          });
        }),
      );
    } finally {
      clearInterval(heartbeat);
    }
    return jobs.length;
  }

  private get slots(): JudgeSlots {
    return this.options.slots ?? localJudgeSlots;
  }

  /** Renews the leases of the batch's unfinished evaluations and the rules' slots. */
  private heartbeat(open: Set<string>, ruleIds: string[], leaseMs: number): NodeJS.Timeout {
    let renewing = false;
    return setInterval(
      () => {
        if (renewing) return;
        renewing = true;
        this.options.store
          .renew([...open], leaseMs)
          .then(() => this.slots.renew(ruleIds))
          .catch((error: unknown) =>
            this.options.logger.warn({ err: error }, 'online evaluation lease renewal failed'),
          )
          .finally(() => (renewing = false));
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
  }

  private async todaysBudget(): Promise<Budget> {
    const limit = this.options.budgetUsd;
    if (limit === undefined) return { left: () => true, spend: () => {} };
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    let spent = await this.options.store.judgeSpendSince(midnight.toISOString());
    return { left: () => spent < limit, spend: (usd) => (spent += usd) };
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

  private async judge(
    job: OnlineEvaluation,
    rule: OnlineRule | undefined,
    budget: Budget,
  ): Promise<void> {
    const { models } = this.options;
    const specs = rule?.assertions ?? (await this.cardAssertions(job.prompt_card_id));
    if (specs.length === 0) return this.notJudged(job, 'no_assertions');
    if (callsModel(specs) && !budget.left()) return this.notJudged(job, 'budget');
    let costUsd: number | null = null;
    const spend = (cost: number | null) => {
      if (cost === null) return;
      costUsd = (costUsd ?? 0) + cost;
      budget.spend(cost);
    };
    const evaluation = await evaluateAssertions(specs, {
      output: job.output,
      // The span's input and the card's variables, for the kinds that judge the answer to them.
      prompt: job.input,
      vars: job.variables,
      latencyMs: 0,
      costUsd: null,
      signal: this.abort.signal,
      embed: (texts, s) => models.embed(texts, s),
      moderate: (model, text, s) => models.moderate(model, text, s),
      grade: async (rubric, output, s) => {
        const graded = await models.grade(rubric, output, s, 'online_grader');
        spend(graded.costUsd);
        return graded;
      },
      // The model-graded kinds' conversations (and custom rubricPrompts), on the same budget.
      askGrader: async (messages, s) => {
        const answer = await models.askGrader(messages, s, 'online_grader');
        spend(answer.costUsd);
        return answer.text;
      },
    });
    const error = evaluationError(evaluation);
    const { store, metrics } = this.options;
    const stored = await store.complete(job.id, {
      judged: evaluation.judged,
      pass: evaluation.pass,
      score: evaluation.score,
      results: evaluation.results,
      error: error?.message ?? null,
      notJudgedReason: null,
      costUsd,
    });
    if (!stored) return;
    emitEvaluationResults(job, evaluation.results);
    const model = job.model ?? 'unknown';
    for (const result of evaluation.results)
      metrics.verdict(
        job.prompt_card_id,
        model,
        result.type,
        result.error !== undefined ? 'error' : result.pass ? 'passed' : 'failed',
      );
    if (evaluation.judged) metrics.score(job.prompt_card_id, evaluation.score);
    metrics.lag((Date.now() - Date.parse(job.span_ended_at)) / 1000);
  }

  private async notJudged(job: OnlineEvaluation, reason: NotJudgedReason): Promise<void> {
    const { store, metrics } = this.options;
    const stored = await store.complete(job.id, {
      judged: false,
      pass: false,
      score: 0,
      results: [],
      error: null,
      notJudgedReason: reason,
      costUsd: null,
    });
    if (!stored) return;
    metrics.verdict(job.prompt_card_id, job.model ?? 'unknown', 'none', 'not_judged');
    metrics.notJudged(reason);
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

/** Today's judge budget as this pass sees it. */
interface Budget {
  left(): boolean;
  spend(usd: number): void;
}
