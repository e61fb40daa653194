/**
 * promptfoo's `classifier`: a text-classification model scores the output; passes when the
 * score of the class in `value` (or, with no value, the highest score of any class) reaches the
 * threshold (default 1, as promptfoo's).
 *
 * The model is called on the Hugging Face Inference API wire: POST `{"inputs": output}`,
 * answer `[[{label, score}, …]]` (a flat `[{label, score}]`, as Text Embeddings Inference's
 * `/predict` gives, is taken too). The endpoint is the assertion's `config.apiEndpoint` (what a
 * suite's `provider: {id: huggingface:text-classification:<model>, config: {apiEndpoint}}`
 * becomes), else CLASSIFIER_API_URL. On a service an assertion's own endpoint must be an allowed
 * origin (see outbound.ts); the operator's CLASSIFIER_API_URL is always allowed.
 */
import { z } from 'zod';
import { defineAssertion } from './assertion.js';
import { checkEndpoint, endpointPolicy, postJson, refusedEndpoint } from './outbound.js';

const FIELD = ['config', 'apiEndpoint'];
const NONE =
  'no classifier endpoint: set CLASSIFIER_API_URL, or give the assertion provider: {id: huggingface:text-classification:<model>, config: {apiEndpoint: <URL>}}';

const labelScores = z.array(z.object({ label: z.string(), score: z.number() }));
const answer = z.union([z.array(labelScores).min(1), labelScores]);

function ownEndpoint(config: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const url = config?.apiEndpoint;
  return typeof url === 'string' ? url : undefined;
}

export const classifier = defineAssertion({
  type: 'classifier',
  description:
    'A text-classification endpoint scores the output; the class in the value (or any class) reaches the threshold (default 1)',
  valueSchema: z.string({ error: 'must be the class label' }).min(1).optional(),
  defaultThreshold: 1,
  callsModel: true,
  refusedHere(_value, config) {
    const own = ownEndpoint(config);
    if (own !== undefined) return refusedEndpoint({ url: own, field: FIELD });
    return endpointPolicy().classifierUrl === undefined
      ? { path: FIELD, message: NONE }
      : undefined;
  },
  async evaluate(expected, threshold, context) {
    const policy = endpointPolicy();
    const own = ownEndpoint(context.config);
    if (own !== undefined) checkEndpoint({ url: own, field: FIELD });
    const url = own ?? policy.classifierUrl;
    if (url === undefined) throw new Error(NONE);
    const key = own === undefined ? policy.classifierApiKey : undefined;
    const raw = await postJson(
      url,
      { inputs: context.output },
      context.signal,
      key === undefined ? {} : { authorization: `Bearer ${key}` },
    ).catch((error: unknown) => {
      throw new Error(`classifier: ${error instanceof Error ? error.message : String(error)}`);
    });
    const parsed = answer.safeParse(raw);
    if (!parsed.success) throw new Error('classifier: the answer is not [[{label, score}]]');
    const first = parsed.data[0];
    const scores = Array.isArray(first) ? first : (parsed.data as z.infer<typeof labelScores>);
    if (scores.length === 0)
      return { pass: false, score: 0, reason: 'No classification scores returned' };
    const score =
      expected === undefined
        ? Math.max(...scores.map((s) => s.score))
        : (scores.find((s) => s.label === expected)?.score ?? 0);
    const pass = score >= threshold - Number.EPSILON;
    const what =
      expected === undefined
        ? 'Maximum classification score'
        : `Classification ${expected} has score`;
    return { pass, score, reason: `${what} ${score.toFixed(2)} ${pass ? '>=' : '<'} ${threshold}` };
  },
});
