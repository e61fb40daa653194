/**
 * The stored shape of one assertion, `{type, value, threshold?, weight?, metric?}`, validated
 * against the registry: an unknown type, a bad `value` for its kind, or a threshold on a kind
 * that has none is rejected where the test case is written. promptfoo's `assert-set` is
 * `{type: "assert-set", assert: [specs], threshold?, weight?, metric?}` (see grade-test.ts).
 */
import { z } from 'zod';
import { ASSERTION_TYPES, kindOf } from './registry.js';
import { localPython } from './local-code.js';
import { ASSERT_SET } from './grade-test.js';
import { rubricPromptSyntaxError } from './rubric-prompt.js';

export const assertionSpecSchema = z
  .strictObject({
    type: z.string({ error: 'must be a string' }),
    value: z.unknown().optional(),
    threshold: z.number({ error: 'must be a number' }).min(0, 'must be at least 0').optional(),
    weight: z
      .number({ error: 'must be a number' })
      .min(0, 'must be at least 0')
      .max(1000)
      .optional(),
    /** promptfoo's named score: the assertion's (or set's) 0–1 score adds to this total. */
    metric: z.string().min(1).max(200).optional(),
    /** The members of an `assert-set` (promptfoo's group of assertions scored as one). */
    get assert(): z.ZodOptional<z.ZodArray<typeof assertionSpecSchema>> {
      return z.array(assertionSpecSchema).min(1, 'must have a member').max(50).optional();
    },
    /**
     * JavaScript run in the sandbox on the output before the check (promptfoo's `transform`);
     * a list is applied in order (a test's `options.transform`, then the assertion's).
     */
    transform: z
      .union([z.string().min(1).max(10_000), z.array(z.string().min(1).max(10_000)).max(4)])
      .optional(),
    /**
     * promptfoo's custom grader prompt for model-graded kinds: Nunjucks over the test's vars,
     * `output` and `rubric`; a JSON list of `{role, content}` is the grader conversation.
     */
    rubricPrompt: z.string().min(1).max(100_000).optional(),
    /**
     * Given to `javascript` and `python` code as `context.config` (promptfoo's); `factuality`
     * reads its per-category scores from `config.factuality`.
     */
    config: z.record(z.string(), z.unknown()).optional(),
    /**
     * JavaScript run in the sandbox on the output giving the retrieved context of the
     * `context-*` kinds (promptfoo's `contextTransform`), instead of the `context` variable.
     */
    contextTransform: z.string().min(1).max(10_000).optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.type === ASSERT_SET) {
      if (spec.assert === undefined)
        ctx.addIssue({ code: 'custom', path: ['assert'], message: 'is required for assert-set' });
      for (const key of [
        'value',
        'transform',
        'rubricPrompt',
        'config',
        'contextTransform',
      ] as const)
        if (spec[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'is not used by assert-set' });
      return;
    }
    if (spec.assert !== undefined)
      ctx.addIssue({ code: 'custom', path: ['assert'], message: 'only an assert-set has members' });
    const found = kindOf(spec.type);
    const kind = found?.kind;
    if (found?.negate === true && found.kind.comparative === true)
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `${found.kind.type} has no not- form: it picks one output of a test row`,
      });
    if (kind === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `unknown assertion type; known: ${ASSERTION_TYPES.join(', ')}, each also with not-`,
      });
      return;
    }
    if (kind.runsLocalCode === true && localPython() === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `${spec.type} assertions run code outside a sandbox: only the prompt-cards eval command runs them, a service does not`,
      });
      return;
    }
    if (
      kind.valueOrRubricPrompt === true &&
      spec.rubricPrompt === undefined &&
      (spec.value === undefined || spec.value === '')
    )
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: 'must be the rubric text (it may be left out only with a rubricPrompt)',
      });
    const templateError =
      spec.rubricPrompt === undefined ? undefined : rubricPromptSyntaxError(spec.rubricPrompt);
    if (templateError !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['rubricPrompt'],
        message: `is not a valid Nunjucks template: ${templateError}`,
      });
    const parsed = kind.valueSchema.safeParse(spec.value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['value', ...issue.path], message: issue.message });
      }
    }
    if (spec.rubricPrompt !== undefined && kind.usesRubricPrompt !== true)
      ctx.addIssue({
        code: 'custom',
        path: ['rubricPrompt'],
        message: `is not used by ${spec.type}`,
      });
    if (spec.contextTransform !== undefined && kind.usesContext !== true)
      ctx.addIssue({
        code: 'custom',
        path: ['contextTransform'],
        message: `is not used by ${spec.type}`,
      });
    if (spec.config !== undefined && kind.configSchema !== undefined) {
      const config = kind.configSchema.safeParse(spec.config);
      if (!config.success)
        for (const issue of config.error.issues)
          ctx.addIssue({ code: 'custom', path: ['config', ...issue.path], message: issue.message });
    }
    if (spec.threshold !== undefined && kind.defaultThreshold === undefined) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: `is not used by ${spec.type}` });
    } else if (spec.threshold !== undefined && spec.threshold > (kind.thresholdMax ?? 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message:
          kind.thresholdMax === undefined
            ? 'must be between 0 and 1'
            : `must be at most ${kind.thresholdMax}`,
      });
    }
    if (parsed.success) {
      const refused = kind.refusedHere?.(parsed.data, spec.config);
      if (refused !== undefined)
        ctx.addIssue({ code: 'custom', path: refused.path, message: refused.message });
    }
  });

// Named in the OpenAPI document (it holds itself: an assert-set's members).
z.globalRegistry.add(assertionSpecSchema, { id: 'AssertionSpec' });

export type AssertionSpec = z.output<typeof assertionSpecSchema>;
