/**
 * The API side of an assertion kind: a test case using it is stored as written, and a bad value
 * is a 422 naming the field, storing nothing. `path` is a card's `/api/prompt-cards/:id/test-cases`.
 */
import assert from 'node:assert/strict';
import type { TestServer } from './test-server.js';

/** POSTs a test case with `assertions` and checks it is stored with the same kinds, in order. */
export async function assertStoresAssertions(
  server: TestServer,
  path: string,
  inputVariables: Record<string, string>,
  assertions: readonly Record<string, unknown>[],
): Promise<void> {
  const res = await server.request('POST', path, {
    name: 'stored',
    input_variables: inputVariables,
    assertions,
  });
  assert.equal(res.status, 201, res.text);
  const stored = await server.request('GET', `/api/test-cases/${res.body.id as string}`);
  assert.deepEqual(
    (stored.body.assertions as { type: string }[]).map((a) => a.type),
    assertions.map((a) => a.type),
  );
}

/**
 * POSTs one test case per `[assertion, field]` and checks each is refused with 422
 * `PCS_ERR_VALIDATION_FAILED` naming `field`, and that the card's test cases did not change.
 */
export async function assertRefusesAssertions(
  server: TestServer,
  path: string,
  inputVariables: Record<string, string>,
  bad: readonly (readonly [Record<string, unknown>, string])[],
): Promise<void> {
  const before = await server.request('GET', path);
  for (const [assertion, field] of bad) {
    const res = await server.request('POST', path, {
      name: 'bad',
      input_variables: inputVariables,
      assertions: [assertion],
    });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
    const fields = (res.body.error.fields as { field: string }[]).map((f) => f.field);
    assert.ok(fields.includes(field), `${JSON.stringify(assertion)}: ${fields.join()}`);
  }
  assert.deepEqual((await server.request('GET', path)).body, before.body);
}
