/**
 * The one schema of suite files (YAML or JSON): promptfoo's configuration as promptfoo writes
 * it, for OpenAI-compatible and Ollama servers, plus a few keys of our own (`concurrency`,
 * `repeat`, `thresholds`, `key`, `expected_output`, `config.system_prompt`). Every object is
 * strict: a key outside it is an error naming the key, never silently ignored.
 *
 * promptfoo reference: https://www.promptfoo.dev/docs/configuration/reference/
 */
import { z } from 'zod';

/** `file://path` (relative to the file that names it). */
export const FILE_REF = /^file:\/\//;

/** promptfoo reads these config values from a file too (`file://tools.yaml`). */
const orFile = <T extends z.ZodType>(schema: T) =>
  z.union([schema, z.string().regex(FILE_REF, 'must be a file:// reference')]);

/** Any JSON value: promptfoo vars may be strings, numbers, booleans, lists (a matrix) or objects. */
const jsonValue: z.ZodType<unknown> = z.unknown();

/** A JavaScript expression or function body run in the sandbox (`output`, `context`). */
const transform = z.string({ error: 'must be a JavaScript expression' }).min(1);

const graderProvider = z.union(
  [
    z.string().min(1),
    z.strictObject({
      id: z.string().min(1, 'is required'),
      label: z.string().optional(),
      config: z.record(z.string(), z.unknown()).optional(),
    }),
    z.strictObject({
      text: z
        .union([z.string(), z.strictObject({ id: z.string(), config: z.unknown() })])
        .optional(),
      embedding: z
        .union([z.string(), z.strictObject({ id: z.string(), config: z.unknown() })])
        .optional(),
    }),
  ],
  { error: 'must be a provider id, {id, config?} or {text?, embedding?}' },
);

/**
 * A custom grader prompt: a text, a message list, or (g-eval) an object of templates
 * `{steps, evaluate}`.
 */
const rubricPrompt = z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** promptfoo's per-category scores of `factuality` (a category passes when above 0). */
const factualityScore = z
  .number({ error: 'must be a number' })
  .min(0, 'must be between 0 and 1')
  .max(1, 'must be between 0 and 1')
  .optional();

/** promptfoo's test `options`: the grader, its prompt, and an output transform. */
export const testOptionsSchema = z.strictObject({
  provider: graderProvider.optional(),
  rubricPrompt: rubricPrompt.optional(),
  transform: transform.optional(),
  factuality: z
    .strictObject({
      subset: factualityScore,
      superset: factualityScore,
      agree: factualityScore,
      disagree: factualityScore,
      differButFactual: factualityScore,
    })
    .optional(),
  /** Code returning vars laid over the test's before its prompts are rendered (promptfoo's). */
  transformVars: transform.optional(),
  /** Keep list-valued vars as one value instead of one test per item (promptfoo's). */
  disableVarExpansion: z.boolean().optional(),
  /** This test's answer as a var of the later tests (promptfoo's; the tests then run in order). */
  storeOutputAs: z.string().min(1).optional(),
  /** The prompt sees no `_conversation` for this test, and the test adds no turn to it. */
  disableConversationVar: z.boolean().optional(),
});
export type TestOptions = z.output<typeof testOptionsSchema>;

const assertionFields = {
  type: z.string({ error: 'must be a string' }).min(1, 'is required'),
  value: z.unknown().optional(),
  threshold: z.number({ error: 'must be a number' }).optional(),
  weight: z.number({ error: 'must be a number' }).nonnegative('must be at least 0').optional(),
  /** promptfoo's named metric: the report gives each metric's pass count. */
  metric: z.string().optional(),
  transform: transform.optional(),
  provider: graderProvider.optional(),
  rubricPrompt: rubricPrompt.optional(),
  /** Given to `javascript` and `python` code as `context.config` (promptfoo's). */
  config: z.record(z.string(), z.unknown()).optional(),
  /** The retrieved context of the `context-*` kinds, from the output (JavaScript). */
  contextTransform: transform.optional(),
};
export const suiteAssertionSchema = z.strictObject(assertionFields);
export type SuiteAssertion = z.output<typeof suiteAssertionSchema> & {
  /** Members of an `assert-set`. */
  readonly assert?: readonly SuiteAssertion[];
};

/** An assertion, or promptfoo's `assert-set` (a group scored as one, with its own threshold). */
const assertionOrSet = z.union([
  suiteAssertionSchema,
  z.strictObject({
    type: z.literal('assert-set'),
    assert: z.array(suiteAssertionSchema).min(1),
    threshold: z.number().optional(),
    weight: z.number().optional(),
    metric: z.string().optional(),
  }),
]);

const testFields = {
  description: z.string().max(200, 'must be at most 200 characters').optional(),
  /** Stable key of the test case for `push` (default: the description, else the position). */
  key: z.string().min(1).max(200).optional(),
  vars: z.union([z.record(z.string(), jsonValue), z.string()]).optional(),
  assert: z.array(assertionOrSet).optional(),
  /** Pass when the weighted score reaches it, instead of when every assertion passes. */
  threshold: z
    .number()
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .optional(),
  expected_output: z.string().optional(),
  /** As `options.storeOutputAs` (promptfoo's example writes it on the test). */
  storeOutputAs: z.string().min(1).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  options: testOptionsSchema.optional(),
};

export const suiteTestSchema = z.strictObject(testFields);
export type SuiteTest = z.output<typeof suiteTestSchema>;

export const defaultTestSchema = z.strictObject({
  vars: testFields.vars,
  assert: testFields.assert,
  threshold: testFields.threshold,
  metadata: testFields.metadata,
  options: testFields.options,
});
export type DefaultTest = z.output<typeof defaultTestSchema>;

/**
 * Provider `config` for OpenAI-compatible and Ollama servers. Request keys are sent as
 * promptfoo sends them (`passthrough` adds any others to the request body).
 */
export const providerConfigSchema = z.strictObject({
  /** OpenAI-compatible base URL (promptfoo's name); Ollama: its base URL too. */
  apiBaseUrl: z.url({ error: 'must be a URL' }).optional(),
  /** Host name of an OpenAI-compatible server (`https://<apiHost>/v1`). */
  apiHost: z.string().min(1).optional(),
  /** The key itself; prefer `apiKeyEnvar`. Never logged or stored. */
  apiKey: z.string().min(1).optional(),
  /** Name of the environment variable holding the API key (promptfoo's `apiKeyEnvar`). */
  apiKeyEnvar: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name')
    .optional(),
  organization: z.string().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  top_p: z.number().min(0).max(1).optional(),
  frequency_penalty: z.number().optional(),
  presence_penalty: z.number().optional(),
  stop: z.union([z.string(), z.array(z.string())]).optional(),
  seed: z.number().int().optional(),
  reasoning_effort: z.string().optional(),
  /** promptfoo's `showThinking`: false takes inline `<think>…</think>` blocks out of outputs. */
  showThinking: z.boolean().optional(),
  verbosity: z.string().optional(),
  response_format: orFile(z.record(z.string(), z.unknown())).optional(),
  tools: orFile(z.array(z.record(z.string(), z.unknown()))).optional(),
  tool_choice: z.unknown().optional(),
  functions: orFile(z.array(z.record(z.string(), z.unknown()))).optional(),
  function_call: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  passthrough: z.record(z.string(), z.unknown()).optional(),
  /** Ollama's name for max_tokens. */
  num_predict: z.number().int().positive().optional(),
  system_prompt: z.string().max(100_000).optional(),
});
export type ProviderConfig = z.output<typeof providerConfigSchema>;

/**
 * promptfoo's older map form of a provider, `- openai:model: {id?, prompts?, config?}`: the key
 * is the provider id and the map's `id` its display name (our `label`); `prompts` may be one
 * name. Anything else is left as written.
 */
function legacyProvider(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  const keys = Object.keys(entry);
  const [only] = keys;
  const inner = only === undefined ? undefined : (entry as Record<string, unknown>)[only];
  if (keys.length !== 1 || only === 'id' || inner === null || typeof inner !== 'object')
    return entry;
  const { id, prompts, ...rest } = inner as Record<string, unknown>;
  return {
    id: only,
    ...(id === undefined ? {} : { label: id }),
    ...(prompts === undefined
      ? {}
      : { prompts: typeof prompts === 'string' ? [prompts] : prompts }),
    ...rest,
  };
}

/**
 * promptfoo's older map form of `prompts`, `{<file path>: <label>}`: each entry a prompt file
 * with its label.
 */
function legacyPrompts(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value);
  if (entries.some(([k]) => ['id', 'label', 'raw'].includes(k))) return value;
  return entries.map(([path, label]) => ({
    id: path.startsWith('file://') ? path : `file://${path}`,
    ...(typeof label === 'string' ? { label } : {}),
  }));
}

export const providerSchema = z.union(
  [
    z.string().min(1, 'is required'),
    z.strictObject({
      id: z.string().min(1, 'is required'),
      label: z.string().min(1).max(100).optional(),
      config: providerConfigSchema.optional(),
      /** Labels (or ids) of the prompts this provider runs (promptfoo's per-provider prompts). */
      prompts: z.array(z.string()).optional(),
      /** A transform of this provider's output before any assertion. */
      transform: transform.optional(),
      /** Milliseconds to wait before each call. */
      delay: z.number().int().nonnegative().optional(),
    }),
  ],
  { error: 'must be a provider id or {id, label?, config?, prompts?, transform?, delay?}' },
);
export type SuiteProviderEntry = z.output<typeof providerSchema>;

export const promptSchema = z.union(
  [
    z.string().min(1, 'must not be empty'),
    z.strictObject({
      id: z.string().min(1).optional(),
      label: z.string().min(1).max(200).optional(),
      raw: z.string().min(1).optional(),
    }),
  ],
  { error: 'must be a template, a file:// reference or {id?, label?, raw?}' },
);

const derivedMetricSchema = z.strictObject({
  name: z.string().min(1),
  value: z.string().min(1, 'must be an expression over metric names'),
});

export const suiteFileSchema = z.strictObject({
  description: z.string().optional(),
  prompts: z.preprocess(
    legacyPrompts,
    z.union([promptSchema, z.array(promptSchema).min(1, 'needs at least one prompt')]),
  ),
  providers: z.union([
    z.preprocess(legacyProvider, providerSchema),
    z.array(z.preprocess(legacyProvider, providerSchema)).min(1, 'needs at least one provider'),
  ]),
  /** Inline tests, file:// references or globs, or one of them (CSV, JSONL, YAML, JSON). */
  tests: z.union([z.string(), z.array(z.union([suiteTestSchema, z.string()]))]).default([]),
  /** promptfoo's scenarios: each config's vars cross each of its tests. */
  scenarios: z
    .array(
      z.strictObject({
        description: z.string().optional(),
        config: z.array(suiteTestSchema),
        tests: z.array(suiteTestSchema),
      }),
    )
    .optional(),
  defaultTest: z.union([defaultTestSchema, z.string()]).optional(),
  derivedMetrics: z.array(derivedMetricSchema).optional(),
  evaluateOptions: z
    .strictObject({
      maxConcurrency: z.number().int().min(1).max(500).optional(),
      repeat: z.number().int().min(1).max(100).optional(),
      showProgressBar: z.boolean().optional(),
      cache: z.boolean().optional(),
      delay: z.number().int().nonnegative().optional(),
    })
    .optional(),
  /** Environment variables the suite sets for itself (existing ones win, as in promptfoo). */
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /**
   * promptfoo's custom Nunjucks filters for the prompts: filter name → a JavaScript module
   * (`./allcaps.js` or `file://allcaps.js`, beside the suite) exporting the filter function,
   * run in the sandbox.
   */
  nunjucksFilters: z
    .record(
      z.string().regex(/^[A-Za-z_]\w*$/, 'must be a filter name (letters, digits, _)'),
      z.string().min(1),
    )
    .optional(),
  /** Where `-o` writes when the command line names no output. */
  outputPath: z.union([z.string(), z.array(z.string())]).optional(),
  /** Anchors for YAML aliases; promptfoo ignores its content. */
  assertionTemplates: z.record(z.string(), z.unknown()).optional(),
  sharing: z.boolean().optional(),
  writeLatestResults: z.boolean().optional(),
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
