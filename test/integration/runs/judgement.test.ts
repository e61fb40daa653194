/**
 * Nothing passes unjudged: a test case's expected_output is checked (EXPECTED_OUTPUT_MATCH),
 * and an answer that no assertion and no expected output judged is reported as not judged,
 * outside the pass rate. Against the loopback OpenAI-wire server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseExposition } from '../../support/exposition.js';
import { untilFinished, type Event } from '../../support/run-helpers.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const CAPITALS: Record<string, string> = {
  Germany: ' Berlin\n',
  France: 'The capital of France is Paris.',
  Spain: 'Madrid',
};

describe('judging answers', () => {
  let wire: WireServer;
  let server: TestServer;
  before(async () => {
    wire = await startWireServer('openai');
    wire.answer = (prompt) => CAPITALS[prompt.replace('Capital of ', '')] ?? 'no idea';
    server = await startTestServer({ OPENAI_BASE_URL: wire.url, PROVIDER_MAX_RETRIES: '0' });
  });
  after(async () => {
    await server.dispose();
    await wire.close();
  });

  async function runCard(
    cases: { country: string; expected_output?: string; assertions?: unknown[] }[],
    target: TestServer = server,
  ) {
    const card = await target.request('POST', '/api/prompt-cards', {
      title: 'Capitals',
      prompt_template: 'Capital of {{country}}',
    });
    const ids: Record<string, string> = {};
    for (const c of cases) {
      const tc = await target.request('POST', `/api/prompt-cards/${card.body.id}/test-cases`, {
        name: c.country,
        input_variables: { country: c.country },
        assertions: c.assertions ?? [],
        ...(c.expected_output === undefined ? {} : { expected_output: c.expected_output }),
      });
      assert.equal(tc.status, 201, tc.text);
      ids[tc.body.id as string] = c.country;
    }
    const run = await target.request('POST', `/api/prompt-cards/${card.body.id}/runs`, {
      models: ['openai:alpha'],
    });
    await untilFinished(target, run.body.id as string);
    const done = await target.request('GET', `/api/runs/${run.body.id}`);
    const results = await target.request('GET', `/api/runs/${run.body.id}/results`);
    const byCountry = Object.fromEntries(
      (results.body.items as Event[]).map((r) => [ids[r.test_case_id as string], r]),
    );
    return { run: done.body, byCountry };
  }

  it('checks expected_output and passes an answer with no check, as promptfoo does', async () => {
    const { run, byCountry } = await runCard([
      { country: 'Germany', expected_output: 'Berlin' },
      { country: 'France', expected_output: 'Berlin' },
      { country: 'Spain' },
    ]);
    assert.equal(byCountry.Germany.passed, true, 'trimmed comparison');
    assert.equal(byCountry.Germany.judged, true);
    assert.equal(byCountry.Germany.assertions[0].type, 'expected_output');
    assert.equal(byCountry.France.passed, false, 'an unrelated answer does not pass');
    assert.equal(byCountry.France.score, 0);
    assert.equal(byCountry.France.judged, true);
    assert.equal(byCountry.Spain.passed, true, 'a successful call with no check passes');
    assert.equal(byCountry.Spain.judged, true);
    const [summary] = run.summary;
    assert.equal(summary.passed, 2);
    assert.equal(summary.failed, 1);
    assert.equal(summary.not_judged, 0);
    assert.equal(summary.pass_rate, 2 / 3);
    assert.equal(summary.mean_score, 2 / 3);
    assert.equal(run.progress.not_judged, 0);

    const metrics = parseExposition((await server.request('GET', '/api/metrics')).text);
    const executions = (status: string) =>
      metrics.samples.find(
        (s) =>
          s.name === 'test_executions_total' &&
          s.labels.status === status &&
          s.labels.model === 'openai:alpha',
      )?.value;
    assert.equal(executions('not_judged') ?? 0, 0);
    assert.equal(executions('success'), 2);
    assert.equal(executions('failure'), 1);
  });

  it('combines expected_output with the assertions', async () => {
    const { byCountry } = await runCard([
      {
        country: 'Spain',
        expected_output: 'Madrid',
        assertions: [{ type: 'contains', value: 'x' }],
      },
    ]);
    assert.equal(byCountry.Spain.passed, false);
    assert.equal(byCountry.Spain.score, 0.5);
    assert.deepEqual(
      byCountry.Spain.assertions.map((a: { type: string; pass: boolean }) => [a.type, a.pass]),
      [
        ['expected_output', true],
        ['contains', false],
      ],
    );
  });

  it('compares as EXPECTED_OUTPUT_MATCH says', async () => {
    const other = await startTestServer({
      OPENAI_BASE_URL: wire.url,
      PROVIDER_MAX_RETRIES: '0',
      EXPECTED_OUTPUT_MATCH: 'icontains',
    });
    try {
      const { byCountry } = await runCard([{ country: 'France', expected_output: 'PARIS' }], other);
      assert.equal(byCountry.France.passed, true);
    } finally {
      await other.dispose();
    }
  });
});
