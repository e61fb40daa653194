/**
 * Ratings of results by people: one per result (rating again replaces it), the comment
 * encrypted at rest like the result it is about (METRICS_ENCRYPTION_KEY).
 */
import type { Kysely, Selectable } from 'kysely';
import {
  PLAINTEXT,
  storableText,
  type Database,
  type FieldCipher,
  type ResultRatingTable,
} from '../db/index.js';
import {
  judgeAgrees,
  judgeVerdictOf,
  tallyAgreement,
  type Agreement,
  type Thumb,
} from './agreement.js';

const COMMENT = 'result_ratings.comment';

/** A rating as the API answers it; `judge_agrees` is null when nothing judged the result. */
export interface Rating {
  readonly result_id: string;
  readonly run_id: string;
  readonly thumb: Thumb;
  readonly comment: string;
  readonly author: string | null;
  readonly judge_agrees: boolean | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface RatingInput {
  readonly thumb: Thumb;
  readonly comment: string;
}

export class RatingStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: FieldCipher = PLAINTEXT,
  ) {}

  private ratedRows() {
    return this.db
      .selectFrom('result_ratings as r')
      .innerJoin('run_results as x', 'x.id', 'r.result_id')
      .selectAll('r')
      .select(['x.passed', 'x.judged', 'x.error_type']);
  }

  private toRating(
    row: Selectable<ResultRatingTable> & {
      passed: number;
      judged: number;
      error_type: string | null;
    },
  ): Rating {
    const thumb = row.thumb as Thumb;
    return {
      result_id: row.result_id,
      run_id: row.run_id,
      thumb,
      comment: this.cipher.decrypt(row.comment, COMMENT),
      author: row.author,
      judge_agrees: judgeAgrees(
        thumb,
        judgeVerdictOf({
          passed: Number(row.passed) === 1,
          judged: Number(row.judged) === 1,
          errored: row.error_type !== null,
        }),
      ),
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }

  /** Rates a result (replacing its rating); undefined when no result has this id. */
  async put(
    resultId: string,
    input: RatingInput,
    author: string | null,
    now = new Date().toISOString(),
  ): Promise<{ rating: Rating; before: Rating | undefined } | undefined> {
    return await this.db.transaction().execute(async (trx) => {
      const store = new RatingStore(trx, this.cipher);
      const result = await trx
        .selectFrom('run_results')
        .select('run_id')
        .where('id', '=', resultId)
        .executeTakeFirst();
      if (result === undefined) return undefined;
      const before = await store.get(resultId);
      const comment = this.cipher.encrypt(storableText(input.comment), COMMENT);
      await trx
        .insertInto('result_ratings')
        .values({
          result_id: resultId,
          run_id: result.run_id,
          thumb: input.thumb,
          comment,
          author,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .column('result_id')
            .doUpdateSet({ thumb: input.thumb, comment, author, updated_at: now }),
        )
        .execute();
      const rating = await store.get(resultId);
      if (rating === undefined) throw new Error(`rating of ${resultId} vanished while written`);
      return { rating, before };
    });
  }

  async get(resultId: string): Promise<Rating | undefined> {
    const row = await this.ratedRows().where('r.result_id', '=', resultId).executeTakeFirst();
    return row === undefined ? undefined : this.toRating(row);
  }

  /** Removes a result's rating; the removed rating, or undefined when it had none. */
  async remove(resultId: string): Promise<Rating | undefined> {
    const before = await this.get(resultId);
    if (before === undefined) return undefined;
    await this.db.deleteFrom('result_ratings').where('result_id', '=', resultId).execute();
    return before;
  }

  /** Every rating of a run's results, oldest first. */
  async listForRun(runId: string): Promise<Rating[]> {
    const rows = await this.ratedRows()
      .where('r.run_id', '=', runId)
      .orderBy('r.created_at')
      .orderBy('r.result_id')
      .execute();
    return rows.map((row) => this.toRating(row));
  }

  /** Human vs judge agreement per card and model; of one card when `cardId` is given. */
  async agreement(cardId?: string): Promise<Agreement[]> {
    let query = this.db
      .selectFrom('result_ratings as r')
      .innerJoin('run_results as x', 'x.id', 'r.result_id')
      .innerJoin('runs', 'runs.id', 'r.run_id')
      .select(['runs.prompt_card_id', 'x.model', 'r.thumb', 'x.passed', 'x.judged', 'x.error_type'])
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .groupBy([
        'runs.prompt_card_id',
        'x.model',
        'r.thumb',
        'x.passed',
        'x.judged',
        'x.error_type',
      ]);
    if (cardId !== undefined) query = query.where('runs.prompt_card_id', '=', cardId);
    const rows = await query.execute();
    return tallyAgreement(
      rows.map((row) => ({
        card_id: row.prompt_card_id,
        model: row.model,
        thumb: row.thumb as Thumb,
        verdict: judgeVerdictOf({
          passed: Number(row.passed) === 1,
          judged: Number(row.judged) === 1,
          errored: row.error_type !== null,
        }),
        count: Number(row.n),
      })),
    );
  }
}
