/** What the online evaluation routes take and answer. */
import { z } from 'zod';
import { assertionSpecSchema } from '../assertions/index.js';
import { timestamp } from '../http/index.js';
import { afterSchema, offsetSchema, queryInteger } from '../util/index.js';

const source = z
  .string()
  .regex(
    /^(input|output|attribute:[\x21-\x7e]{1,255})$/,
    'must be input, output or attribute:<span attribute key>',
  );

export const onlineRuleInputSchema = z.strictObject({
  service_name: z.string().min(1).max(255).nullable().default(null),
  model: z.string().min(1).max(255).nullable().default(null),
  require_card_attribute: z.boolean().default(false),
  sample_rate: z
    .number({ error: 'must be a number between 0 and 1' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(1),
  assertions: z
    .array(assertionSpecSchema)
    .min(1, 'must have at least one assertion, or be null for the test cases’ assertions')
    .max(50, 'must have at most 50 assertions')
    .nullable()
    .default(null),
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid variable name'), source)
    .default({}),
  judge_concurrency: z
    .number({ error: 'must be an integer between 1 and 100' })
    .int('must be an integer between 1 and 100')
    .min(1, 'must be an integer between 1 and 100')
    .max(100, 'must be an integer between 1 and 100')
    .nullable()
    .default(null),
});

export const onlineRuleSchema = onlineRuleInputSchema
  .extend({
    id: z.string(),
    prompt_card_id: z.string(),
    service_name: z.string().nullable(),
    model: z.string().nullable(),
    require_card_attribute: z.boolean(),
    sample_rate: z.number(),
    assertions: z.array(assertionSpecSchema).nullable(),
    variables: z.record(z.string(), z.string()),
    judge_concurrency: z.number().int().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'OnlineEvaluationRule' });

export const onlineEvaluationSchema = z
  .strictObject({
    id: z.string(),
    rule_id: z.string(),
    prompt_card_id: z.string(),
    trace_id: z.string(),
    span_id: z.string(),
    model: z.string().nullable(),
    input: z.string(),
    output: z.string(),
    variables: z.record(z.string(), z.string()),
    span_ended_at: timestamp,
    received_at: timestamp,
    status: z.enum(['pending', 'done']),
    judged: z.boolean().nullable(),
    pass: z.boolean().nullable(),
    score: z.number().nullable(),
    assertion_results: z
      .array(
        z.looseObject({
          type: z.string(),
          pass: z.boolean(),
          score: z.number(),
          weight: z.number(),
          reason: z.string(),
        }),
      )
      .nullable(),
    error: z.string().nullable(),
    not_judged_reason: z.enum(['budget', 'no_assertions']).nullable(),
    judge_cost_usd: z.number().nullable(),
    evaluated_at: timestamp.nullable(),
  })
  .meta({ id: 'OnlineEvaluation' });

/** A page of a card's online evaluations: `limit` 1–100 (20), `after` (the previous `next`), `offset` ≤ 10,000. */
export const onlineEvaluationPageQuery = z.strictObject({
  limit: queryInteger(
    z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(100, 'must be at most 100'),
  )
    .default(20)
    .meta({ override: { default: 20 } }),
  offset: offsetSchema,
  after: afterSchema('online-evaluations', ['number', 'string']),
});
