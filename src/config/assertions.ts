/** Assertions that call outside endpoints: `webhook` and `classifier`. */
import { z } from 'zod';
import { commaList, defineSlice, httpUrl, intBetween, variable } from './variable.js';

/** An origin (`scheme://host[:port]`) as the URL parser writes it, or the input when it is none. */
function origin(item: string): string {
  try {
    return new URL(item).origin;
  } catch {
    return item;
  }
}

export const assertions = defineSlice({
  title: 'Assertions',
  env: {
    ASSERTION_ENDPOINT_ALLOWED_ORIGINS: variable(
      commaList(origin).pipe(
        z.array(z.string().regex(/^https?:\/\/[^/]+$/, 'must be http(s) origins, comma-separated')),
      ),
      {
        default: '',
        description:
          'Origins (`https://host:port`, comma-separated) that `webhook` assertions and a `classifier` assertion’s own endpoint may call on the service; empty: such assertions are refused with 422. The `eval` command allows any.',
      },
    ),
    ASSERTION_ENDPOINT_TIMEOUT_MS: variable(intBetween(100, 600_000), {
      default: '5000',
      description:
        'Timeout of one `webhook` or `classifier` call (ms; promptfoo’s `WEBHOOK_TIMEOUT`).',
    }),
    CLASSIFIER_API_URL: variable(httpUrl(), {
      description:
        'Text-classification endpoint of `classifier` assertions that name none (Hugging Face Inference API wire: POST `{inputs}` → `[[{label, score}]]`, e.g. Text Embeddings Inference’s `/predict`).',
    }),
    CLASSIFIER_API_KEY: variable(z.string(), {
      secret: true,
      description: 'Bearer key sent to `CLASSIFIER_API_URL`, when it needs one.',
    }),
  },
  config: (e) => ({
    assertions: {
      /** ASSERTION_ENDPOINT_ALLOWED_ORIGINS: origins assertion endpoints may have on the service. */
      allowedOrigins: e.ASSERTION_ENDPOINT_ALLOWED_ORIGINS,
      /** ASSERTION_ENDPOINT_TIMEOUT_MS: timeout of one webhook or classifier call. */
      timeoutMs: e.ASSERTION_ENDPOINT_TIMEOUT_MS,
      /** CLASSIFIER_API_URL: the default classifier endpoint; undefined when none. */
      classifierUrl: e.CLASSIFIER_API_URL,
      /** CLASSIFIER_API_KEY: its bearer key. */
      classifierApiKey: e.CLASSIFIER_API_KEY,
    },
  }),
});
