/**
 * `webhook` and `classifier` against loopback endpoints (their real counterpart is the user's
 * endpoint), where any endpoint is allowed (the eval command; the service's allow-list is in
 * endpoint-allow-list.test.ts, a process that never allows any).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allowAnyAssertionEndpoint, assertionSpecSchema } from '../../../src/assertions/index.js';
import { checkAssertion } from '../../support/assertion-check.js';
import { startJsonEndpoint, type JsonEndpoint } from '../../support/json-endpoint.js';

function run(spec: Record<string, unknown>, output: string) {
  return checkAssertion(spec, output, { prompt: 'Say hi to {{name}}', vars: { name: 'Ada' } });
}

describe('webhook and classifier assertions', () => {
  let hook: JsonEndpoint;
  let classes: JsonEndpoint;
  before(async () => {
    hook = await startJsonEndpoint((body) => {
      const output = (body as { output: string }).output;
      return output.includes('hi')
        ? { pass: true, score: 0.9, reason: 'greets' }
        : { pass: false, reason: 'no greeting' };
    });
    classes = await startJsonEndpoint(() => [
      [
        { label: 'nothate', score: 0.92 },
        { label: 'hate', score: 0.08 },
      ],
    ]);
  });
  after(async () => {
    await hook.close();
    await classes.close();
  });

  describe('where any endpoint is allowed (the eval command)', () => {
    before(() => allowAnyAssertionEndpoint({ timeoutMs: 2000 }));

    it('webhook POSTs promptfoo body and takes pass, score and reason', async () => {
      const result = await run({ type: 'webhook', value: `${hook.url}/judge` }, 'hi Ada');
      assert.deepEqual([result.pass, result.score, result.reason], [true, 0.9, 'greets']);
      assert.deepEqual(hook.requests.at(-1)?.body, {
        output: 'hi Ada',
        context: { prompt: 'Say hi to {{name}}', vars: { name: 'Ada' } },
      });
      assert.equal(hook.requests.at(-1)?.path, '/judge');
      const failed = await run({ type: 'webhook', value: hook.url }, 'bye');
      assert.deepEqual([failed.pass, failed.score, failed.reason], [false, 0, 'no greeting']);
      assert.equal((await run({ type: 'not-webhook', value: hook.url }, 'bye')).pass, true);
    });

    it('makes a failing endpoint the result error, never a pass (also under not-)', async () => {
      hook.answer = () => ({ status: 500 });
      try {
        for (const type of ['webhook', 'not-webhook']) {
          const result = await run({ type, value: hook.url }, 'hi');
          assert.equal(result.pass, false);
          assert.match(result.error ?? '', /webhook: the endpoint answered HTTP 500/);
        }
        hook.answer = () => ({ verdict: 'yes' });
        assert.match(
          (await run({ type: 'webhook', value: hook.url }, 'hi')).error ?? '',
          /not \{pass/,
        );
      } finally {
        hook.answer = (body) =>
          (body as { output: string }).output.includes('hi')
            ? { pass: true, score: 0.9, reason: 'greets' }
            : { pass: false, reason: 'no greeting' };
      }
    });

    it('classifier scores the class in the value against the threshold (default 1)', async () => {
      const config = { apiEndpoint: `${classes.url}/models/roberta` };
      const strict = await run({ type: 'classifier', value: 'nothate', config }, 'kind words');
      assert.deepEqual([strict.pass, strict.score], [false, 0.92]);
      const half = await run(
        { type: 'classifier', value: 'nothate', threshold: 0.5, config },
        'kind words',
      );
      assert.deepEqual([half.pass, half.score], [true, 0.92]);
      assert.match(half.reason, /Classification nothate has score 0\.92 >= 0\.5/);
      assert.deepEqual(classes.requests.at(-1)?.body, { inputs: 'kind words' });
      const any = await run({ type: 'classifier', threshold: 0.9, config }, 'x');
      assert.equal(any.pass, true);
      const missing = await run({ type: 'classifier', value: 'spam', threshold: 0.1, config }, 'x');
      assert.deepEqual([missing.pass, missing.score], [false, 0]);
      const notHate = await run(
        { type: 'not-classifier', value: 'hate', threshold: 0.5, config },
        'x',
      );
      assert.equal(notHate.pass, true);
    });

    it('classifier uses CLASSIFIER_API_URL with its key when the assertion names no endpoint', async () => {
      assert.match(
        assertionSpecSchema.safeParse({ type: 'classifier', value: 'hate' }).error?.issues[0]
          ?.message ?? '',
        /no classifier endpoint: set CLASSIFIER_API_URL/,
      );
      allowAnyAssertionEndpoint({ classifierUrl: classes.url, classifierApiKey: 'sk-class' });
      const result = await run({ type: 'classifier', value: 'hate', threshold: 0.05 }, 'x');
      assert.equal(result.pass, true);
      assert.equal(classes.requests.at(-1)?.headers.authorization, 'Bearer sk-class');
      assert.doesNotMatch(result.reason, /sk-class/);
    });
  });
});
