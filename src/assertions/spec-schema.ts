/**
 * The stored shape of one assertion, `{type, value, threshold?, weight?}`, validated against
 * the registry: an unknown type, a bad `value` for its kind, or a threshold on a kind that has
 * none is rejected where the test case is written.
 */
import { z } from 'zod';
import { ASSERTION_TYPES, kindOf } from './registry.js';

export const assertionSpecSchema = z
  .strictObject({
    type: z.string({ error: 'must be a string' }),
    value: z.unknown().optional(),
    threshold: z
      .number({ error: 'must be a number' })
      .min(0, 'must be between 0 and 1')
      .max(1, 'must be between 0 and 1')
      .optional(),
    weight: z
      .number({ error: 'must be a number' })
      .positive('must be positive')
      .max(1000)
      .optional(),
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
  })
  .superRefine((spec, ctx) => {
    const kind = kindOf(spec.type)?.kind;
    if (kind === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `unknown assertion type; known: ${ASSERTION_TYPES.join(', ')}, each also with not-`,
      });
      return;
    }
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
    if (spec.threshold !== undefined && kind.defaultThreshold === undefined) {
      ctx.addIssue({ code: 'custom', path: ['threshold'], message: `is not used by ${spec.type}` });
    }
  });

export type AssertionSpec = z.output<typeof assertionSpecSchema>;
