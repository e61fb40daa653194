/**
 * The one schema of suite files (YAML or JSON), a subset of promptfoo's configuration read as
 * promptfoo writes it, plus a few keys of our own (`concurrency`, `repeat`, `thresholds`,
 * `key`, `expected_output`, `config.system_prompt`). Every object is strict: a key outside the
 * subset is an error naming it, never silently ignored.
 *
 * promptfoo reference: https://www.promptfoo.dev/docs/configuration/reference/
 */
import { z } from 'zod';

/** `file://path` (relative to the file that names it). */
export const FILE_REF = /^file:\/\//;

const varValue = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean (lists and objects are not supported)',
});

export const suiteAssertionSchema = z.strictObject({
  type: z.string({ error: 'must be a string' }).min(1, 'is required'),
  value: z.unknown().optional(),
  threshold: z.number({ error: 'must be a number' }).optional(),
  weight: z.number({ error: 'must be a number' }).positive('must be positive').optional(),
  /** promptfoo's named metric; kept on the result, not used for scoring. */
  metric: z.string().optional(),
});
export type SuiteAssertion = z.output<typeof suiteAssertionSchema>;

const testFields = {
  description: z.string().max(200, 'must be at most 200 characters').optional(),
  /** Stable key of the test case for `push` (default: the description, else the position). */
  key: z.string().min(1).max(200).optional(),
  vars: z.record(z.string(), varValue).optional(),
  assert: z.array(suiteAssertionSchema).optional(),
  /** Pass when the weighted score reaches it, instead of when every assertion passes. */
  threshold: z
    .number()
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .optional(),
  expected_output: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};

export const suiteTestSchema = z.strictObject(testFields);
export type SuiteTest = z.output<typeof suiteTestSchema>;

export const defaultTestSchema = z.strictObject({
  vars: testFields.vars,
  assert: testFields.assert,
  threshold: testFields.threshold,
  metadata: testFields.metadata,
});
export type DefaultTest = z.output<typeof defaultTestSchema>;

export const providerConfigSchema = z.strictObject({
  /** OpenAI-compatible base URL (promptfoo's name); Ollama: its base URL too. */
  apiBaseUrl: z.url({ error: 'must be a URL' }).optional(),
  /** Name of the environment variable holding the API key (promptfoo's `apiKeyEnvar`). */
  apiKeyEnvar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name')
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  /** Ollama's name for max_tokens. */
  num_predict: z.number().int().positive().optional(),
  system_prompt: z.string().max(100_000).optional(),
});
export type ProviderConfig = z.output<typeof providerConfigSchema>;

export const providerSchema = z.union(
  [
    z.string().min(1, 'is required'),
    z.strictObject({
      id: z.string().min(1, 'is required'),
      label: z.string().min(1).max(100).optional(),
      config: providerConfigSchema.optional(),
    }),
  ],
  { error: 'must be a provider id or {id, label?, config?}' },
);

export const promptSchema = z.union(
  [
    z.string().min(1, 'must not be empty'),
    z.strictObject({
      id: z.string().min(1).optional(),
      label: z.string().min(1).max(200).optional(),
      raw: z.string().min(1, 'is required'),
    }),
  ],
  { error: 'must be a template, a file:// reference or {raw, label?, id?}' },
);

export const suiteFileSchema = z.strictObject({
  description: z.string().optional(),
  prompts: z.union([promptSchema, z.array(promptSchema).min(1, 'needs at least one prompt')]),
  providers: z.union([
    providerSchema,
    z.array(providerSchema).min(1, 'needs at least one provider'),
  ]),
  /** Inline tests, file:// references, or one file:// reference (CSV, JSONL, YAML, JSON). */
  tests: z.union([z.string(), z.array(z.union([suiteTestSchema, z.string()]))]).default([]),
  defaultTest: z.union([defaultTestSchema, z.string()]).optional(),
  evaluateOptions: z
    .strictObject({
      maxConcurrency: z.number().int().min(1).max(500).optional(),
      repeat: z.number().int().min(1).max(100).optional(),
      showProgressBar: z.boolean().optional(),
    })
    .optional(),
  concurrency: z.number().int().min(1).max(500).optional(),
  repeat: z.number().int().min(1).max(100).optional(),
  thresholds: z
    .strictObject({
      /** Lowest acceptable pass rate of every model, 0–1 (`--fail-under` overrides it). */
      pass_rate: z.number().min(0).max(1).optional(),
    })
    .optional(),
});
export type SuiteFile = z.output<typeof suiteFileSchema>;
