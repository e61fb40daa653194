/**
 * promptfoo's `moderation`: the output is sent to a moderation model (OpenAI's
 * `/v1/moderations`, on the OpenAI-compatible server the run's `openai:` models use) and
 * fails when the model flags any of the categories in `value` (a list of OpenAI's category
 * names, e.g. `[harassment, violence/graphic]`), or any category at all when there is no value.
 * An empty output passes ("No output to moderate"), as in promptfoo.
 *
 * The model is `config.provider` (what a suite's assertion `provider:
 * openai:moderation:<model>` becomes), else `openai:omni-moderation-latest` (promptfoo's
 * default). A server that cannot be reached, or answers in another shape, is the result's
 * error, not a failed check.
 * Source: https://www.promptfoo.dev/docs/configuration/expected-outputs/moderation/
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';

/** promptfoo's default moderation model, on the `openai` backend. */
export const DEFAULT_MODERATION_MODEL = 'openai:omni-moderation-latest';

const configSchema = z.looseObject({
  provider: z
    .string({ error: 'must be a model id: openai:<moderation model>' })
    .regex(/^openai:[^\s:]+$/, 'must be a model id: openai:<moderation model>')
    .optional(),
});

export const moderation = defineAssertion({
  type: 'moderation',
  description:
    'A moderation model (OpenAI /v1/moderations) flags none of the categories in the value (any category without one)',
  valueSchema: z
    .array(z.string({ error: 'must be a category name' }).min(1), {
      error: 'must be a list of category names',
    })
    .max(50)
    .optional(),
  callsModel: true,
  configSchema,
  async evaluate(categories, _threshold, context) {
    if (context.output === '') return { pass: true, score: 1, reason: 'No output to moderate' };
    if (context.moderate === undefined)
      throw new Error('moderation: no moderation model can be called here');
    const own = configSchema.parse(context.config ?? {}).provider;
    const flags = await context.moderate(
      own ?? DEFAULT_MODERATION_MODEL,
      context.output,
      context.signal,
    );
    if (flags.length === 0) return { pass: true, score: 1, reason: 'No moderation flags detected' };
    const relevant =
      categories === undefined || categories.length === 0
        ? flags
        : flags.filter((f) => categories.includes(f.category));
    if (relevant.length === 0)
      return { pass: true, score: 1, reason: 'No relevant moderation flags detected' };
    return {
      pass: false,
      score: 0,
      reason: `Moderation flags detected: ${relevant.map((f) => f.category).join(', ')}`,
    };
  },
});
