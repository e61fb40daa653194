/**
 * The service's allow-list of assertion endpoints: an origin not listed in
 * ASSERTION_ENDPOINT_ALLOWED_ORIGINS is refused when the spec is written (naming the field and
 * the variable) and checked again before a stored spec's call. This process never calls
 * `allowAnyAssertionEndpoint` (the eval command's switch), as a service does not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertionSpecSchema,
  configureAssertionEndpoints,
  evaluateAssertions,
} from '../../../src/assertions/index.js';
import { assertionContext, checkAssertion } from '../../support/assertion-check.js';
import { startJsonEndpoint, type JsonEndpoint } from '../../support/json-endpoint.js';

const run = (spec: Record<string, unknown>, output: string) => checkAssertion(spec, output);

describe('assertion endpoints on a service', () => {
  let hook: JsonEndpoint;
  before(async () => {
    hook = await startJsonEndpoint(() => ({ pass: true }));
  });
  after(() => hook.close());

  before(() => configureAssertionEndpoints({ allowedOrigins: [], timeoutMs: 2000 }));

  it('refuses a webhook or classifier endpoint outside the allow-list, naming the field and variable', () => {
    const hookSpec = assertionSpecSchema.safeParse({ type: 'webhook', value: hook.url });
    assert.equal(hookSpec.success, false);
    assert.deepEqual(hookSpec.error?.issues[0]?.path, ['value']);
    assert.match(hookSpec.error?.issues[0]?.message ?? '', /ASSERTION_ENDPOINT_ALLOWED_ORIGINS/);
    const classSpec = assertionSpecSchema.safeParse({
      type: 'classifier',
      value: 'hate',
      config: { apiEndpoint: 'http://169.254.169.254/latest' },
    });
    assert.deepEqual(classSpec.error?.issues[0]?.path, ['config', 'apiEndpoint']);
    assert.deepEqual(
      assertionSpecSchema.safeParse({ type: 'webhook', value: 'file:///etc/passwd' }).error
        ?.issues[0]?.path,
      ['value'],
    );
  });

  it('does not call a stored webhook whose origin is not allowed', async () => {
    const before = hook.requests.length;
    const result = await run({ type: 'webhook', value: 'http://127.0.0.1:9/x' }, 'hi').catch(
      () => undefined,
    );
    // The spec itself is refused by the schema above; a stored one is checked again here.
    assert.equal(result, undefined);
    const evaluation = await evaluateAssertions(
      [{ type: 'webhook', value: hook.url }],
      assertionContext('hi'),
    );
    assert.equal(evaluation.results[0]?.pass, false);
    assert.match(evaluation.results[0]?.error ?? '', /not allowed/);
    assert.equal(hook.requests.length, before);
  });

  it('accepts and calls an allowed origin', async () => {
    configureAssertionEndpoints({ allowedOrigins: [new URL(hook.url).origin], timeoutMs: 2000 });
    assert.equal((await run({ type: 'webhook', value: hook.url }, 'hi')).pass, true);
  });
});
