/**
 * Online evaluation rules and evaluations in the database. An evaluation row is written
 * `pending` when the receiver accepts a sampled span (before it answers), claimed by an
 * evaluator for a lease, and completed `done` with the verdict. Span text and assertion results
 * are encrypted at rest like run results. Rows are keyed (rule, trace, span): an exporter's retry
 * of the same batch adds nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AssertionResult, AssertionSpec } from '../assertions/index.js';
import {
  keyAfter,
  type Database,
  type FieldCipher,
  type OnlineEvaluationTable,
} from '../db/index.js';
import type { CursorKey } from '../util/index.js';

export interface OnlineRule {
  readonly id: string;
  readonly prompt_card_id: string;
  readonly service_name: string | null;
  readonly model: string | null;
  readonly require_card_attribute: boolean;
  readonly sample_rate: number;
  readonly assertions: AssertionSpec[] | null;
  readonly variables: Record<string, string>;
  /** Evaluations of this rule one process judges at a time; null: only the process's limit. */
  readonly judge_concurrency: number | null;
  readonly created_at: string;
}
export type OnlineRuleInput = Omit<OnlineRule, 'id' | 'prompt_card_id' | 'created_at'>;

export interface NewEvaluation {
  readonly ruleId: string;
  readonly cardId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly model: string | null;
  readonly inputText: string;
  readonly outputText: string;
  readonly variables: Record<string, string>;
  readonly spanEndedAtMs: number;
}

export interface OnlineEvaluation {
  readonly id: string;
  readonly rule_id: string;
  readonly prompt_card_id: string;
  readonly trace_id: string;
  readonly span_id: string;
  readonly model: string | null;
  readonly input: string;
  readonly output: string;
  readonly variables: Record<string, string>;
  readonly span_ended_at: string;
  readonly received_at: string;
  readonly status: 'pending' | 'done';
  readonly judged: boolean | null;
  readonly pass: boolean | null;
  readonly score: number | null;
  readonly assertion_results: AssertionResult[] | null;
  readonly error: string | null;
  readonly not_judged_reason: NotJudgedReason | null;
  readonly judge_cost_usd: number | null;
  readonly evaluated_at: string | null;
}

/** Why a done evaluation was not judged: the daily judge budget was spent, or no assertion applied. */
export type NotJudgedReason = 'budget' | 'no_assertions';

export interface Verdict {
  readonly judged: boolean;
  readonly pass: boolean;
  readonly score: number;
  readonly results: readonly AssertionResult[];
  readonly error: string | null;
  readonly notJudgedReason: NotJudgedReason | null;
  /** USD of this evaluation's judge calls; null when none was priced. */
  readonly costUsd: number | null;
}

export class OnlineEvalStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: FieldCipher,
  ) {}

  async createRule(cardId: string, input: OnlineRuleInput): Promise<OnlineRule> {
    const rule: OnlineRule = {
      ...input,
      id: randomUUID(),
      prompt_card_id: cardId,
      created_at: new Date().toISOString(),
    };
    await this.db
      .insertInto('online_eval_rules')
      .values({
        ...rule,
        require_card_attribute: rule.require_card_attribute ? 1 : 0,
        // Assertion values are often expected answers: sealed like a test case's.
        assertions: this.cipher.encryptNullable(
          rule.assertions === null ? null : JSON.stringify(rule.assertions),
          'online_eval_rules.assertions',
        ),
        variables: JSON.stringify(rule.variables),
      })
      .execute();
    return rule;
  }

  /** Every rule (`cardId` given: that card's), oldest first. */
  async listRules(cardId?: string): Promise<OnlineRule[]> {
    let query = this.db.selectFrom('online_eval_rules').selectAll();
    if (cardId !== undefined) query = query.where('prompt_card_id', '=', cardId);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => ({
      ...row,
      require_card_attribute: row.require_card_attribute === 1,
      assertions:
        row.assertions === null
          ? null
          : (JSON.parse(
              this.cipher.decrypt(row.assertions, 'online_eval_rules.assertions'),
            ) as AssertionSpec[]),
      variables: JSON.parse(row.variables) as Record<string, string>,
    }));
  }

  /** False when the card has no such rule. */
  async deleteRule(cardId: string, ruleId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('online_eval_rules')
      .where('id', '=', ruleId)
      .where('prompt_card_id', '=', cardId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Writes the pending evaluations in one transaction; returns how many were new. */
  async enqueue(items: readonly NewEvaluation[]): Promise<number> {
    if (items.length === 0) return 0;
    const receivedAt = new Date().toISOString();
    const rows: OnlineEvaluationTable[] = items.map((item) => ({
      id: randomUUID(),
      rule_id: item.ruleId,
      prompt_card_id: item.cardId,
      trace_id: item.traceId,
      span_id: item.spanId,
      model: item.model,
      input_text: this.cipher.encrypt(item.inputText, 'online_evaluations.input_text'),
      output_text: this.cipher.encrypt(item.outputText, 'online_evaluations.output_text'),
      variables: this.cipher.encrypt(
        JSON.stringify(item.variables),
        'online_evaluations.variables',
      ),
      span_ended_at: item.spanEndedAtMs,
      received_at: receivedAt,
      status: 'pending',
      claimed_until: null,
      judged: null,
      pass: null,
      score: null,
      assertion_results: null,
      error: null,
      evaluated_at: null,
      judge_cost_usd: null,
      not_judged_reason: null,
    }));
    return this.db.transaction().execute(async (trx) => {
      let added = 0;
      for (let i = 0; i < rows.length; i += 100) {
        const result = await trx
          .insertInto('online_evaluations')
          .values(rows.slice(i, i + 100))
          .onConflict((oc) => oc.columns(['rule_id', 'trace_id', 'span_id']).doNothing())
          .executeTakeFirst();
        added += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      return added;
    });
  }

  /** Evaluations not yet done. */
  async backlog(): Promise<number> {
    const row = await this.db
      .selectFrom('online_evaluations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** USD the judge calls of evaluations completed at or after `since` (ISO 8601) cost. */
  async judgeSpendSince(since: string): Promise<number> {
    const row = await this.db
      .selectFrom('online_evaluations')
      .select((eb) => eb.fn.sum<number | string | null>('judge_cost_usd').as('usd'))
      .where('evaluated_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.usd ?? 0);
  }

  /** Seconds the oldest pending evaluation has waited since it was received; 0 when none. */
  async oldestPendingAgeSeconds(now = Date.now()): Promise<number> {
    const row = await this.db
      .selectFrom('online_evaluations')
      .select((eb) => eb.fn.min('received_at').as('oldest'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const oldest = row?.oldest;
    return typeof oldest === 'string' ? Math.max(0, (now - Date.parse(oldest)) / 1000) : 0;
  }

  /** Claims up to `limit` pending evaluations whose lease is free, for `leaseMs`. */
  async claim(limit: number, leaseMs: number): Promise<OnlineEvaluation[]> {
    const now = Date.now();
    const candidates = await this.db
      .selectFrom('online_evaluations')
      .select('id')
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('span_ended_at')
      .limit(limit)
      .execute();
    const claimed: OnlineEvaluation[] = [];
    for (const { id } of candidates) {
      const row = await this.db
        .updateTable('online_evaluations')
        .set({ claimed_until: now + leaseMs })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .returningAll()
        .executeTakeFirst();
      if (row !== undefined) claimed.push(this.open(row));
    }
    return claimed;
  }

  /**
   * Extends the lease of the still pending evaluations among `ids` to `leaseMs` from now (the
   * evaluator's heartbeat while their judge works); returns how many were extended.
   */
  async renew(ids: readonly string[], leaseMs: number): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .updateTable('online_evaluations')
      .set({ claimed_until: Date.now() + leaseMs })
      .where('id', 'in', ids)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Stores the verdict of a pending evaluation; false when it was done already (another
   * process judged it after this one's lease lapsed: the first verdict stays, and the caller
   * does not count this one).
   */
  async complete(id: string, verdict: Verdict): Promise<boolean> {
    const result = await this.db
      .updateTable('online_evaluations')
      .set({
        status: 'done',
        claimed_until: null,
        judged: verdict.judged ? 1 : 0,
        pass: verdict.pass ? 1 : 0,
        score: verdict.score,
        assertion_results: this.cipher.encrypt(
          JSON.stringify(verdict.results),
          'online_evaluations.assertion_results',
        ),
        error: verdict.error,
        not_judged_reason: verdict.notJudgedReason,
        judge_cost_usd: verdict.costUsd,
        evaluated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * A card's evaluations, newest span first (`span_ended_at`, `id` descending), with the total
   * count. `after` is the sort key of the previous page's last item (keyset: one index range of
   * `online_evaluations_card_page` whatever the depth); `offset` skips from there.
   */
  async list(
    cardId: string,
    page: { limit: number; offset: number; after?: CursorKey | undefined },
  ): Promise<{ items: OnlineEvaluation[]; total: number }> {
    const base = this.db.selectFrom('online_evaluations').where('prompt_card_id', '=', cardId);
    const after = page.after;
    const ranged =
      after === undefined || after.length === 0
        ? base
        : base.where(keyAfter(['span_ended_at', 'id'], after, 'desc'));
    const [rows, count] = await Promise.all([
      ranged
        .selectAll()
        .orderBy('span_ended_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((row) => this.open(row)), total: Number(count.n) };
  }

  private open(row: OnlineEvaluationTable): OnlineEvaluation {
    const results = this.cipher.decryptNullable(
      row.assertion_results,
      'online_evaluations.assertion_results',
    );
    return {
      id: row.id,
      rule_id: row.rule_id,
      prompt_card_id: row.prompt_card_id,
      trace_id: row.trace_id,
      span_id: row.span_id,
      model: row.model,
      input: this.cipher.decrypt(row.input_text, 'online_evaluations.input_text'),
      output: this.cipher.decrypt(row.output_text, 'online_evaluations.output_text'),
      variables: JSON.parse(
        this.cipher.decrypt(row.variables, 'online_evaluations.variables'),
      ) as Record<string, string>,
      span_ended_at: new Date(row.span_ended_at).toISOString(),
      received_at: row.received_at,
      status: row.status === 'done' ? 'done' : 'pending',
      judged: row.judged === null ? null : row.judged === 1,
      pass: row.pass === null ? null : row.pass === 1,
      score: row.score,
      assertion_results: results === null ? null : (JSON.parse(results) as AssertionResult[]),
      error: row.error,
      not_judged_reason:
        row.not_judged_reason === 'budget' || row.not_judged_reason === 'no_assertions'
          ? row.not_judged_reason
          : null,
      judge_cost_usd: row.judge_cost_usd,
      evaluated_at: row.evaluated_at,
    };
  }
}
