/** What the rating routes take and answer (src/http/route-doc.ts). */
import { z } from 'zod';
import { idParams, type RouteDoc } from '../http/index.js';
import { agreementSchema, ratingRequestSchema, ratingSchema } from './rating-schema.js';

const tag = 'Ratings';

export const ratingRouteDocs: RouteDoc[] = [
  {
    method: 'put',
    path: '/api/results/:id/rating',
    operationId: 'rateResult',
    tag,
    summary: "Rate a result (thumbs up or down, a comment); replaces the result's rating",
    params: idParams,
    body: ratingRequestSchema,
    responses: { 200: { description: 'The stored rating', schema: ratingSchema } },
    errors: ['PCS_ERR_RESULT_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/results/:id/rating',
    operationId: 'getResultRating',
    tag,
    summary: "A result's rating",
    params: idParams,
    responses: { 200: { description: 'The rating', schema: ratingSchema } },
    errors: ['PCS_ERR_RATING_NOT_FOUND'],
  },
  {
    method: 'delete',
    path: '/api/results/:id/rating',
    operationId: 'removeResultRating',
    tag,
    summary: "Remove a result's rating",
    params: idParams,
    responses: { 204: { description: 'Removed' } },
    errors: ['PCS_ERR_RATING_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/runs/:id/ratings',
    operationId: 'listRunRatings',
    tag,
    summary: "Every rating of the run's results, oldest first",
    params: idParams,
    responses: {
      200: {
        description: 'The ratings',
        schema: z.strictObject({ items: z.array(ratingSchema) }),
      },
    },
    errors: ['PCS_ERR_RUN_NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/api/prompt-cards/:id/agreement',
    operationId: 'getJudgeAgreement',
    tag,
    summary:
      "How often the card's assertions agree with people's ratings, per model (also the prompt_judge_human_agreement_ratio gauge)",
    params: idParams,
    responses: {
      200: {
        description: 'Agreement per model',
        schema: z.strictObject({ items: z.array(agreementSchema) }),
      },
    },
    errors: ['PCS_ERR_CARD_NOT_FOUND'],
  },
];
