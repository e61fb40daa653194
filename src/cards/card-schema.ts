/**
 * Request schemas of the prompt-card and test-case routes (one schema per boundary, used at
 * runtime and by the tests), and the shapes the API answers with.
 */
import { z } from 'zod';
import { assertionSpecSchema } from '../assertions/index.js';
import { afterSchema, offsetSchema, queryInteger, type CursorList } from '../util/index.js';
import { extractVariables, nonAsciiPlaceholders } from './template.js';

/**
 * Variable names a template may not use: a test case's `input_variables` cannot hold them
 * (the API rejects these keys in every object), so no test case could ever be added.
 */
export const RESERVED_VARIABLES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * A name as stored and compared: trimmed and in Unicode NFC, so `café` typed as one code point
 * or as `e` + combining accent is one name (one card, one test case in a sync).
 */
const nfc = (text: string) => text.normalize('NFC');

/** Fields the API returns but never takes from a client; a client may echo them back. */
export const READ_ONLY_CARD_FIELDS = [
  'id',
  'variables',
  'prompt_type',
  'test_case_count',
  'created_at',
  'updated_at',
] as const;
export const READ_ONLY_TEST_CASE_FIELDS = [
  'id',
  'prompt_card_id',
  'created_at',
  'updated_at',
] as const;

// Tags become the `prompt_type` metric label: printable characters only (no control or format
// characters, which would corrupt the exposition or hide in dashboards).
const tag = z
  .string()
  .trim()
  .overwrite(nfc)
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^\P{C}*$/u, 'must not contain control or format characters');

export const cardInputSchema = z.strictObject({
  title: z
    .string()
    .trim()
    .overwrite(nfc)
    .min(1, 'is required')
    .max(200, 'must be at most 200 characters'),
  description: z.string().max(10_000, 'must be at most 10000 characters').default(''),
  prompt_template: z
    .string()
    .min(1, 'is required')
    .max(100_000, 'must be at most 100000 characters')
    .superRefine((template, ctx) => {
      for (const name of extractVariables(template).filter((n) => RESERVED_VARIABLES.includes(n)))
        ctx.addIssue({
          code: 'custom',
          message: `uses the reserved variable name {{${name}}} (no test case could give it)`,
        });
      for (const name of nonAsciiPlaceholders(template))
        ctx.addIssue({
          code: 'custom',
          message: `{{${name}}} is not a variable: names use A–Z, a–z, digits and _ (write \\{{ for literal braces)`,
        });
    }),
  tags: z
    .array(tag)
    .max(32, 'must have at most 32 tags')
    .default([])
    // Duplicates carry no meaning; keep the first occurrence so the prompt type stays put.
    .transform((tags) => [...new Set(tags)]),
  pass_rate_threshold: z
    .number({ error: 'must be a number between 0 and 1, or null' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .nullable()
    .default(null),
  /**
   * promptfoo's `showThinking`: false takes a reasoning model's inline `<think>…</think>` blocks
   * out of its answers before any check, keeping them in the result's `reasoning`. Absent: true
   * for a new card, unchanged for an update.
   */
  show_thinking: z.boolean({ error: 'must be true or false' }).optional(),
});
export type CardInput = z.output<typeof cardInputSchema>;

export const templateValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean',
});

export const testCaseInputSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .overwrite(nfc)
    .min(1, 'is required')
    .max(200, 'must be at most 200 characters'),
  input_variables: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid variable name'),
      templateValueSchema,
    )
    .default({}),
  expected_output: z.string().max(100_000).nullable().default(null),
  assertions: z.array(assertionSpecSchema).max(50, 'must have at most 50 assertions').default([]),
});
export type TestCaseInput = z.output<typeof testCaseInputSchema>;

const limit = queryInteger(
  z.number().int('must be an integer').min(1, 'must be at least 1').max(100, 'must be at most 100'),
)
  .default(20)
  .meta({ override: { default: 20 } });
const offset = offsetSchema;

/** A page of list `list`, ordered by (created_at, id): `limit`, a bounded `offset`, `after`. */
export function pageQuery(list: CursorList) {
  return z.strictObject({ limit, offset, after: afterSchema(list, ['string', 'string']) });
}

/** The shape of every such page query, for the route documents. */
export const pageQuerySchema = pageQuery('test-cases');

export const cardListQuerySchema = z.strictObject({
  q: z.string().max(200, 'must be at most 200 characters').overwrite(nfc).optional(),
  tag: z.string().max(64, 'must be at most 64 characters').overwrite(nfc).optional(),
  limit,
  offset,
  after: afterSchema('cards', ['string', 'string']),
});
export type CardListQuery = z.output<typeof cardListQuerySchema>;

/** What the API answers for a card. */
export const cardSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  prompt_template: z.string(),
  tags: z.array(z.string()),
  prompt_type: z.string(),
  variables: z.array(z.string()),
  pass_rate_threshold: z.number().nullable(),
  show_thinking: z.boolean(),
  test_case_count: z.number().int().nonnegative(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type Card = z.infer<typeof cardSchema>;

/** What the API answers for a test case. */
export const testCaseSchema = z.strictObject({
  id: z.string(),
  prompt_card_id: z.string(),
  name: z.string(),
  input_variables: z.record(z.string(), templateValueSchema),
  expected_output: z.string().nullable(),
  assertions: z.array(assertionSpecSchema),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  /** The `after` token of the next page; null at the end. */
  readonly next: string | null;
}
