import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cardSchema, testCaseSchema } from '../../../src/cards/index.js';
import { snapshot } from '../../support/db-snapshot.js';
import { request, startTestServer, type TestServer } from '../../support/test-server.js';

const validCard = {
  title: 'Greeting',
  description: 'Says hello',
  prompt_template: 'Hello {{name}} from {{city}}',
  tags: ['greeting', 'demo'],
};
const validTestCase = {
  name: 'Ada',
  input_variables: { name: 'Ada', city: 'London' },
  assertions: [{ type: 'contains', value: 'Ada' }],
};

describe('prompt card and test case API over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ BODY_LIMIT_BYTES: '4096' });
  });
  after(() => server.dispose());

  it('runs the full CRUD of a card and its test cases', async () => {
    const created = await server.request('POST', '/api/prompt-cards', validCard);
    assert.equal(created.status, 201);
    cardSchema.parse(created.body);
    assert.deepEqual(created.body.variables, ['name', 'city']);
    assert.equal(created.body.prompt_type, 'greeting');
    assert.equal(created.headers.get('location'), `/api/prompt-cards/${created.body.id}`);
    const id = created.body.id as string;

    const fetched = await server.request('GET', `/api/prompt-cards/${id}`);
    assert.deepEqual(fetched.body, created.body);

    const tc = await server.request('POST', `/api/prompt-cards/${id}/test-cases`, validTestCase);
    assert.equal(tc.status, 201);
    testCaseSchema.parse(tc.body);
    const tcId = tc.body.id as string;
    assert.equal((await server.request('GET', `/api/test-cases/${tcId}`)).body.name, 'Ada');
    const list = await server.request('GET', `/api/prompt-cards/${id}/test-cases`);
    assert.equal(list.body.total, 1);

    const updatedTc = await server.request('PUT', `/api/test-cases/${tcId}`, {
      ...tc.body,
      name: 'Ada L.',
    });
    assert.equal(updatedTc.status, 200, updatedTc.text);
    assert.equal(updatedTc.body.name, 'Ada L.');

    // A client may PUT back what it got, read-only fields included.
    const updated = await server.request('PUT', `/api/prompt-cards/${id}`, {
      ...fetched.body,
      title: 'Greeting v2',
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.title, 'Greeting v2');
    assert.equal(updated.body.test_case_count, 1);

    const search = await server.request('GET', '/api/prompt-cards?q=v2&tag=demo&limit=5');
    assert.equal(search.body.total, 1);
    assert.equal(search.body.items[0].id, id);

    assert.equal((await server.request('DELETE', `/api/test-cases/${tcId}`)).status, 204);
    assert.equal((await server.request('GET', `/api/test-cases/${tcId}`)).status, 404);
    assert.equal((await server.request('DELETE', `/api/prompt-cards/${id}`)).status, 204);
    assert.equal((await server.request('GET', `/api/prompt-cards/${id}`)).status, 404);
  });

  it('rejects a template change that would leave a test case without a value, naming it', async () => {
    const card = (await server.request('POST', '/api/prompt-cards', validCard)).body;
    const tc = (
      await server.request('POST', `/api/prompt-cards/${card.id}/test-cases`, validTestCase)
    ).body;
    const before = await snapshot(server.running.database.db);
    const res = await server.request('PUT', `/api/prompt-cards/${card.id}`, {
      ...validCard,
      prompt_template: '{{name}} {{mood}}',
    });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'PCS_ERR_CARD_TEMPLATE_BREAKS_TEST_CASES');
    assert.deepEqual(res.body.error.fields, [
      { field: `test_cases.${tc.id}`, message: 'missing mood' },
    ]);
    assert.equal(await snapshot(server.running.database.db), before);
  });

  it('refuses a template using {{__proto__}}, {{constructor}} or {{prototype}} with 422 naming prompt_template', async () => {
    const ok = await server.request('POST', '/api/prompt-cards', validCard);
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const template = `Hi {{ ${name} }}`;
      for (const [method, path] of [
        ['POST', '/api/prompt-cards'],
        ['PUT', `/api/prompt-cards/${ok.body.id as string}`],
      ] as const) {
        const refused = await server.request(method, path, {
          ...validCard,
          prompt_template: template,
        });
        assert.equal(refused.status, 422, refused.text);
        assert.equal(refused.body.error.fields[0].field, 'prompt_template', refused.text);
        assert.match(refused.body.error.fields[0].message, new RegExp(`reserved.*${name}`));
      }
    }
    const escaped = await server.request('POST', '/api/prompt-cards', {
      ...validCard,
      prompt_template: 'Literal \\{{constructor}} and {{name}} {{city}}',
    });
    assert.equal(escaped.status, 201, 'an escaped placeholder is text, not a variable');
  });

  it('refuses a placeholder whose name is not ASCII ({{名前}}) instead of sending it as text', async () => {
    const refused = await server.request('POST', '/api/prompt-cards', {
      ...validCard,
      prompt_template: 'こんにちは {{名前}} from {{city}}',
    });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.fields[0].field, 'prompt_template', refused.text);
    assert.match(refused.body.error.fields[0].message, /\{\{名前\}\} is not a variable/);
    const escaped = await server.request('POST', '/api/prompt-cards', {
      ...validCard,
      prompt_template: 'こんにちは \\{{名前}} {{name}} {{city}}',
    });
    assert.equal(escaped.status, 201, escaped.text);
  });

  it('normalises names to NFC: café typed two ways is one title, tag and test case name', async () => {
    const composed = 'Caf\u00e9';
    const decomposed = 'Cafe\u0301';
    const card = await server.request('POST', '/api/prompt-cards', {
      ...validCard,
      title: decomposed,
      tags: [decomposed, composed],
    });
    assert.equal(card.status, 201, card.text);
    assert.equal(card.body.title, composed);
    assert.deepEqual(card.body.tags, [composed]);
    const found = await server.request(
      'GET',
      `/api/prompt-cards?q=${encodeURIComponent(decomposed)}`,
    );
    assert.ok(
      (found.body.items as { id: string }[]).some((c) => c.id === card.body.id),
      'a search typed decomposed finds the card',
    );
    const id = card.body.id as string;
    const path = `/api/prompt-cards/${id}/test-cases/import`;
    const row = (name: string) =>
      JSON.stringify({ name, input_variables: { name: 'Ada', city: 'Paris' } });
    const first = await server.request('POST', `${path}?mode=sync`, row(composed), {
      'content-type': 'application/x-ndjson',
    });
    assert.deepEqual(first.body, { created: 1, updated: 0, deleted: 0, unchanged: 0 });
    const second = await server.request('POST', `${path}?mode=sync`, row(decomposed), {
      'content-type': 'application/x-ndjson',
    });
    assert.deepEqual(second.body, { created: 0, updated: 0, deleted: 0, unchanged: 1 });
  });

  it('refuses input_variables the template does not use with 422 naming input_variables.<name> (single writes)', async () => {
    const card = await server.request('POST', '/api/prompt-cards', validCard);
    const id = card.body.id as string;
    const extra = {
      ...validTestCase,
      input_variables: { ...validTestCase.input_variables, nmae: 'x' },
    };
    const single = await server.request('POST', `/api/prompt-cards/${id}/test-cases`, extra);
    assert.equal(single.status, 422, single.text);
    assert.equal(single.body.error.code, 'PCS_ERR_VALIDATION_FAILED');
    assert.deepEqual(single.body.error.fields, [
      { field: 'input_variables.nmae', message: 'is not a variable of the template' },
    ]);
    const bulk = await server.request(
      'POST',
      `/api/prompt-cards/${id}/test-cases/import`,
      JSON.stringify([extra]),
    );
    // A promptfoo suite's vars serve all its prompts and assertions: bulk paths keep them.
    assert.equal(bulk.status, 201, bulk.text);
  });

  describe('bad input is answered with the documented status and code, and changes nothing', () => {
    let cardId: string;
    let testCaseId: string;
    before(async () => {
      cardId = (await server.request('POST', '/api/prompt-cards', validCard)).body.id;
      testCaseId = (
        await server.request('POST', `/api/prompt-cards/${cardId}/test-cases`, validTestCase)
      ).body.id;
    });

    type Case = {
      name: string;
      method: string;
      path: () => string;
      body?: unknown;
      headers?: Record<string, string>;
      status: number;
      code: string;
      fields?: string[];
    };
    const missingCard = '/api/prompt-cards/00000000-0000-0000-0000-000000000000';
    const cases: Case[] = [
      {
        name: 'malformed JSON on create',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: '{"title": ',
        status: 400,
        code: 'PCS_ERR_HTTP_MALFORMED_JSON',
      },
      {
        name: 'malformed JSON on update',
        method: 'PUT',
        path: () => `/api/prompt-cards/${cardId}`,
        body: '{bad}',
        status: 400,
        code: 'PCS_ERR_HTTP_MALFORMED_JSON',
      },
      {
        name: 'a JSON array as body',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: '[1,2]',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['body'],
      },
      // Routes that take no body took any JSON: `[]` cancelled the run.
      ...(['cancel', 'resume'] as const).flatMap((action): Case[] => [
        ...['[]', '[1]', 'null', '"stop"', '7'].map((body) => ({
          name: `the JSON ${body} as the body of ${action}`,
          method: 'POST',
          path: () => `/api/runs/00000000-0000-0000-0000-000000000000/${action}`,
          body,
          status: 422,
          code: 'PCS_ERR_VALIDATION_FAILED',
          fields: ['body'],
        })),
        {
          name: `a field in the body of ${action}`,
          method: 'POST',
          path: () => `/api/runs/00000000-0000-0000-0000-000000000000/${action}`,
          body: { force: true },
          status: 422,
          code: 'PCS_ERR_VALIDATION_FAILED',
          fields: ['body.force'],
        },
        {
          name: `{} as the body of ${action} (allowed: the run is looked up)`,
          method: 'POST',
          path: () => `/api/runs/00000000-0000-0000-0000-000000000000/${action}`,
          body: {},
          status: 404,
          code: 'PCS_ERR_RUN_NOT_FOUND',
        },
      ]),
      {
        name: 'a JSON array as the body of a PUT',
        method: 'PUT',
        path: () => `/api/test-cases/${testCaseId}`,
        body: '[]',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['body'],
      },
      {
        name: 'fields in the body of a DELETE',
        method: 'DELETE',
        path: () => `/api/test-cases/${testCaseId}`,
        body: { cascade: true },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['body'],
      },
      // Valid JSON that is not an object was answered "not valid JSON" (400) before.
      ...['null', '42', '"a card"', 'true'].map((body): Case => ({
        name: `the JSON ${body} as body`,
        method: 'POST',
        path: () => '/api/prompt-cards',
        body,
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['body'],
      })),
      {
        name: 'null as the body of an update',
        method: 'PUT',
        path: () => `/api/prompt-cards/${cardId}`,
        body: 'null',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['body'],
      },
      {
        name: 'a non-JSON content type',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: 'title=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        status: 415,
        code: 'PCS_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
      },
      {
        name: 'an oversized body',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: { ...validCard, description: 'x'.repeat(5000) },
        status: 413,
        code: 'PCS_ERR_HTTP_BODY_TOO_LARGE',
      },
      {
        name: 'missing title and template',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: { description: 'x' },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['title', 'prompt_template'],
      },
      {
        name: 'wrong types',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: { title: 5, prompt_template: 'x', tags: 'a' },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['title', 'tags'],
      },
      {
        name: 'a blank title',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: { ...validCard, title: '   ' },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['title'],
      },
      {
        name: 'an unknown field',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: { ...validCard, colour: 'red' },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['colour'],
      },
      {
        name: 'a non-string tag',
        method: 'POST',
        path: () => '/api/prompt-cards',
        body: { ...validCard, tags: ['ok', 3] },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['tags.1'],
      },
      {
        name: 'update of an unknown card',
        method: 'PUT',
        path: () => missingCard,
        body: validCard,
        status: 404,
        code: 'PCS_ERR_CARD_NOT_FOUND',
      },
      {
        name: 'get of an unknown card',
        method: 'GET',
        path: () => missingCard,
        status: 404,
        code: 'PCS_ERR_CARD_NOT_FOUND',
      },
      {
        name: 'delete of an unknown card',
        method: 'DELETE',
        path: () => missingCard,
        status: 404,
        code: 'PCS_ERR_CARD_NOT_FOUND',
      },
      {
        name: 'a bad limit',
        method: 'GET',
        path: () => '/api/prompt-cards?limit=1000',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['query.limit'],
      },
      {
        name: 'a non-numeric offset',
        method: 'GET',
        path: () => '/api/prompt-cards?offset=abc',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['query.offset'],
      },
      {
        name: 'an unknown query parameter',
        method: 'GET',
        path: () => '/api/prompt-cards?sort=x',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['query.sort'],
      },
      {
        name: 'a repeated tag parameter',
        method: 'GET',
        path: () => '/api/prompt-cards?tag=a&tag=b',
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['query.tag'],
      },
      {
        name: 'test case for an unknown card',
        method: 'POST',
        path: () => `${missingCard}/test-cases`,
        body: validTestCase,
        status: 404,
        code: 'PCS_ERR_CARD_NOT_FOUND',
      },
      {
        name: 'test cases of an unknown card',
        method: 'GET',
        path: () => `${missingCard}/test-cases`,
        status: 404,
        code: 'PCS_ERR_CARD_NOT_FOUND',
      },
      {
        name: 'a test case missing template variables',
        method: 'POST',
        path: () => `/api/prompt-cards/${cardId}/test-cases`,
        body: { name: 'x', input_variables: { name: 'A' } },
        status: 422,
        code: 'PCS_ERR_TEST_CASE_MISSING_VARIABLES',
        fields: ['input_variables.city'],
      },
      {
        name: 'a test case with an object as a variable value',
        method: 'POST',
        path: () => `/api/prompt-cards/${cardId}/test-cases`,
        body: { name: 'x', input_variables: { name: {}, city: 'x' } },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['input_variables.name'],
      },
      {
        name: 'an assertion of an unknown type',
        method: 'POST',
        path: () => `/api/prompt-cards/${cardId}/test-cases`,
        body: { ...validTestCase, assertions: [{ type: 'telepathy', value: 'x' }] },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['assertions.0.type'],
      },
      {
        name: 'an assertion with a bad value',
        method: 'POST',
        path: () => `/api/prompt-cards/${cardId}/test-cases`,
        body: { ...validTestCase, assertions: [{ type: 'regex', value: '(' }] },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['assertions.0.value'],
      },
      {
        name: 'model-graded assertions with a bad value, config and contextTransform',
        method: 'POST',
        path: () => `/api/prompt-cards/${cardId}/test-cases`,
        body: {
          ...validTestCase,
          assertions: [
            { type: 'g-eval', value: [] },
            { type: 'factuality', value: 'Paris', config: { factuality: { subset: 2 } } },
            { type: 'equals', value: 'x', contextTransform: 'output' },
          ],
        },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: [
          'assertions.0.value',
          'assertions.1.config.factuality.subset',
          'assertions.2.contextTransform',
        ],
      },
      {
        name: 'an assertion with a bad weight',
        method: 'POST',
        path: () => `/api/prompt-cards/${cardId}/test-cases`,
        body: { ...validTestCase, assertions: [{ type: 'contains', value: 'x', weight: -1 }] },
        status: 422,
        code: 'PCS_ERR_VALIDATION_FAILED',
        fields: ['assertions.0.weight'],
      },
      {
        name: 'update of a test case dropping a variable',
        method: 'PUT',
        path: () => `/api/test-cases/${testCaseId}`,
        body: { name: 'x', input_variables: { city: 'x' } },
        status: 422,
        code: 'PCS_ERR_TEST_CASE_MISSING_VARIABLES',
        fields: ['input_variables.name'],
      },
      {
        name: 'update of an unknown test case',
        method: 'PUT',
        path: () => '/api/test-cases/nope',
        body: validTestCase,
        status: 404,
        code: 'PCS_ERR_TEST_CASE_NOT_FOUND',
      },
      {
        name: 'delete of an unknown test case',
        method: 'DELETE',
        path: () => '/api/test-cases/nope',
        status: 404,
        code: 'PCS_ERR_TEST_CASE_NOT_FOUND',
      },
      {
        name: 'an unknown API route',
        method: 'GET',
        path: () => '/api/nothing-here',
        status: 404,
        code: 'PCS_ERR_HTTP_ROUTE_NOT_FOUND',
      },
      // A rubricPrompt that is not Nunjucks was taken and failed only when a run graded it.
      ...['Grade {{ output ', '{% if %}{{ output }}', '[{"role":"user","content":"{{ x "}]'].map(
        (rubricPrompt): Case => ({
          name: `a rubricPrompt that does not parse (${rubricPrompt})`,
          method: 'POST',
          path: () => `/api/prompt-cards/${cardId}/test-cases`,
          body: {
            ...validTestCase,
            assertions: [{ type: 'llm-rubric', value: 'polite', rubricPrompt }],
          },
          status: 422,
          code: 'PCS_ERR_VALIDATION_FAILED',
          fields: ['assertions.0.rubricPrompt'],
        }),
      ),
      {
        name: 'an unknown method on a known path',
        method: 'PATCH',
        path: () => `/api/prompt-cards/${cardId}`,
        body: {},
        status: 404,
        code: 'PCS_ERR_HTTP_ROUTE_NOT_FOUND',
      },
    ];

    for (const c of cases) {
      it(`${c.method} with ${c.name} → ${c.status} ${c.code}`, async () => {
        const db = server.running.database.db;
        const before = await snapshot(db);
        const res = await request(server.url, c.method, c.path(), c.body, c.headers);
        assert.equal(res.status, c.status, res.text);
        assert.equal(res.headers.get('content-type')?.startsWith('application/json'), true);
        assert.equal(res.body.error.code, c.code);
        assert.equal(typeof res.body.error.message, 'string');
        if (c.fields !== undefined) {
          assert.deepEqual(
            res.body.error.fields.map((f: { field: string }) => f.field),
            c.fields,
          );
        }
        assert.equal(await snapshot(db), before, 'the database changed');
      });
    }
  });
});

describe('persistence across restarts', () => {
  it('keeps cards and test cases when the server restarts on the same file', async () => {
    const first = await startTestServer();
    const card = (await first.request('POST', '/api/prompt-cards', validCard)).body;
    const tc = (
      await first.request('POST', `/api/prompt-cards/${card.id}/test-cases`, validTestCase)
    ).body;
    const cardBefore = (await first.request('GET', `/api/prompt-cards/${card.id}`)).body;
    await first.stop();
    const second = await startTestServer({}, first.dataDir);
    try {
      assert.deepEqual(
        (await second.request('GET', `/api/prompt-cards/${card.id}`)).body,
        cardBefore,
      );
      assert.deepEqual((await second.request('GET', `/api/test-cases/${tc.id}`)).body, tc);
    } finally {
      await second.dispose();
    }
  });

  it('seeds sample cards only into an empty database', async () => {
    const first = await startTestServer({ SEED_SAMPLES: 'true' });
    const total = (await first.request('GET', '/api/prompt-cards')).body.total as number;
    assert.ok(total >= 4 && total <= 5, `seeded ${total}`);
    await first.stop();
    const second = await startTestServer({ SEED_SAMPLES: 'true' }, first.dataDir);
    try {
      assert.equal((await second.request('GET', '/api/prompt-cards')).body.total, total);
    } finally {
      await second.dispose();
    }
  });
});
