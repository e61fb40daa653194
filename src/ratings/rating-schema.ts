/** What the rating routes take and answer, as zod schemas (runtime parsing and the OpenAPI document). */
import { z } from 'zod';
import { timestamp } from '../http/index.js';

/** Longest comment kept, in characters: a note on a result, not a document. */
export const MAX_COMMENT_LENGTH = 2000;

export const ratingRequestSchema = z
  .strictObject({
    thumb: z.enum(['up', 'down'], { error: "must be 'up' or 'down'" }).meta({
      description: "'up': the answer is good; 'down': it is not",
    }),
    comment: z
      .string({ error: 'must be a string' })
      .max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`)
      .default(''),
  })
  .meta({ id: 'RatingRequest' });

export const ratingSchema = z
  .strictObject({
    result_id: z.string(),
    run_id: z.string(),
    thumb: z.enum(['up', 'down']),
    comment: z.string(),
    author: z.string().nullable().meta({ description: 'Who rated, where authentication says' }),
    judge_agrees: z.boolean().nullable().meta({
      description:
        'Whether the rating says what the assertions said (up = passed, down = failed or errored); null when nothing judged the result',
    }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Rating' });

export const agreementSchema = z
  .strictObject({
    card_id: z.string(),
    model: z.string(),
    ratings: z.number().int().nonnegative(),
    judged_ratings: z
      .number()
      .int()
      .nonnegative()
      .meta({ description: 'Rated results the assertions gave a verdict on' }),
    agreements: z.number().int().nonnegative(),
    agreement_ratio: z.number().min(0).max(1).nullable().meta({
      description: 'agreements / judged_ratings; null without a judged rating',
    }),
  })
  .meta({ id: 'JudgeAgreement' });
