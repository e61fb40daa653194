/**
 * promptfoo's `webhook`: POSTs `{output, context: {prompt, vars}}` to the URL in `value` and
 * takes the answer `{pass, score?, reason?}` as the verdict (score default: 1 on pass, else 0).
 * A failed call (no answer within ASSERTION_ENDPOINT_TIMEOUT_MS, a non-2xx status, an answer
 * without a boolean `pass`) is thrown: the result's error, never a pass. On a service the URL's
 * origin must be allowed (see outbound.ts).
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { checkEndpoint, postJson, refusedEndpoint } from './outbound.js';

const answer = z.object({
  pass: z.boolean(),
  score: z.number().min(0).max(1).optional(),
  reason: z.string().optional(),
});

export const webhook = defineAssertion({
  type: 'webhook',
  description:
    'POSTs {output, context: {prompt, vars}} to the URL and takes its {pass, score, reason} as the verdict',
  valueSchema: z
    .string({ error: 'must be the webhook URL' })
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
      message: 'must be an http(s) URL',
    }),
  refusedHere: (url) => refusedEndpoint({ url, field: ['value'] }),
  async evaluate(url, _threshold, context) {
    checkEndpoint({ url, field: ['value'] });
    const raw = await postJson(
      url,
      {
        output: context.outputValue ?? context.output,
        context: { prompt: context.prompt, vars: context.vars ?? {} },
      },
      context.signal,
    ).catch((error: unknown) => {
      throw new Error(`webhook: ${error instanceof Error ? error.message : String(error)}`);
    });
    const parsed = answer.safeParse(raw);
    if (!parsed.success)
      throw new Error('webhook: the answer is not {pass: boolean, score?: 0–1, reason?: text}');
    const { pass, score, reason } = parsed.data;
    return {
      pass,
      score: score ?? (pass ? 1 : 0),
      reason: reason ?? (pass ? 'Webhook returned pass' : 'Webhook returned fail'),
    };
  },
});
