/**
 * Two real service processes (src/main.ts) judging one PostgreSQL backlog, with Redis: a slow
 * judge outlasting the lease does not get an evaluation judged twice (the holder renews its
 * lease while the judge works), and a rule's `judge_concurrency` holds across both processes
 * (a Redis semaphore per rule). The judge is a loopback OpenAI-compatible server that records
 * every grading request and the peak in flight; it is slow on purpose (fault injection).
 * Needs PostgreSQL and Redis; fails under REQUIRE_SYSTEM=1 without them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startMain } from '../../support/main-process.js';
import { requirePostgres, throwawaySchema } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { waitFor } from '../../support/run-helpers.js';
import { POSTGRES_URL } from '../../support/system.js';
import { request } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const schema = throwawaySchema();
const prefix = throwawayRedisPrefix();

function span(n: number, output: string): unknown {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: n.toString(16).padStart(16, '0'),
    attributes: [
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
      { key: 'output.value', value: { stringValue: output } },
    ],
  };
}

describe('two evaluating processes', async () => {
  const skip = (await requirePostgres()) ?? (await requireRedis());
  let judge: WireServer;
  let processes: ReturnType<typeof startMain>[] = [];
  let urls: string[] = [];

  before(async () => {
    if (skip !== undefined) return;
    const setup = new pg.Client({ connectionString: POSTGRES_URL });
    await setup.connect();
    await setup.query(`create schema if not exists ${schema}`);
    await setup.end();
    judge = await startWireServer('openai');
    judge.answer = () => '{"score": 1, "reason": "polite"}';
    const env = {
      DATABASE_URL: `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`,
      REDIS_URL,
      RUN_QUEUE_PREFIX: prefix,
      GRADER_MODEL: 'openai:judge',
      OPENAI_BASE_URL: judge.url,
      OPENAI_API_KEY: 'sk-loopback',
      PROVIDER_MAX_RETRIES: '0',
      ONLINE_EVAL_LEASE_SECONDS: '1',
      SEED_SAMPLES: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info', // the "listening on" line gives the URL
    };
    // One after the other: the first migrates the schema.
    processes = [startMain(env)];
    urls = [await processes[0].url(60_000)];
    processes.push(startMain(env));
    urls.push(await processes[1].url(60_000));
  });
  after(async () => {
    if (skip !== undefined) return;
    for (const p of processes) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    await judge.close();
  });

  /** A card with one rubric rule; its spans exported through the first process. */
  async function judgedSpans(
    title: string,
    count: number,
    judgeConcurrency: number | null,
  ): Promise<{ cardId: string; outputs: string[] }> {
    const base = urls[0];
    const card = await request(base, 'POST', '/api/prompt-cards', { title, prompt_template: 'Hi' });
    assert.equal(card.status, 201, card.text);
    const cardId = card.body.id as string;
    // Each rule picks its own spans (service.name), so one test's rule does not judge the other's.
    const rule = await request(base, 'POST', `/api/prompt-cards/${cardId}/online-rules`, {
      service_name: title,
      assertions: [{ type: 'llm-rubric', value: 'The answer is polite' }],
      judge_concurrency: judgeConcurrency,
    });
    assert.equal(rule.status, 201, rule.text);
    const outputs = Array.from({ length: count }, (_, i) => `${title} answer ${i}`);
    const exported = await request(base, 'POST', '/api/v1/traces', {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: title } }] },
          scopeSpans: [{ spans: outputs.map((o, i) => span(i + 1, o)) }],
        },
      ],
    });
    assert.equal(exported.status, 200, exported.text);
    await waitFor(
      'every evaluation done',
      async () => {
        const page = await request(base, 'GET', `/api/prompt-cards/${cardId}/online-evaluations`);
        const items = page.body.items as { status: string }[];
        return items.length === count && items.every((e) => e.status === 'done') ? true : undefined;
      },
      90_000,
    );
    return { cardId, outputs };
  }

  /** Verdicts each process counted for the card. */
  async function verdictsPerProcess(cardId: string): Promise<number[]> {
    return Promise.all(
      urls.map(async (url) => {
        const text = (await request(url, 'GET', '/api/metrics')).text;
        const line = new RegExp(
          `^prompt_card_online_evaluations_total\\{card="${cardId}",[^}]*outcome="passed"\\} (\\d+)$`,
          'm',
        ).exec(text);
        return Number(line?.[1] ?? 0);
      }),
    );
  }

  it('a judge slower than the lease judges each evaluation once', { skip }, async () => {
    judge.latencyMs = 3500; // 3.5 leases of 1 s
    const before = judge.requests.length;
    const { cardId, outputs } = await judgedSpans('Slow judge', 3, null);
    const graded = judge.requests.slice(before).map((r) => JSON.stringify(r.body));
    for (const output of outputs)
      assert.equal(
        graded.filter((body) => body.includes(output)).length,
        1,
        `${output}: judged ${graded.filter((body) => body.includes(output)).length} times`,
      );
    const counted = await verdictsPerProcess(cardId);
    assert.equal(
      counted.reduce((a, b) => a + b, 0),
      3,
      `verdicts per process: ${counted.join(', ')}`,
    );
  });

  it("a rule's judge_concurrency holds across both processes", { skip }, async () => {
    judge.latencyMs = 800;
    await waitFor('no judge call in flight', () => {
      judge.resetPeakInFlight();
      return judge.peakInFlight() === 0 ? true : undefined;
    });
    const { cardId } = await judgedSpans('One at a time', 8, 1);
    const counted = await verdictsPerProcess(cardId);
    assert.ok(
      counted.every((n) => n > 0),
      `both processes judged: ${counted.join(', ')}`,
    );
    assert.equal(judge.peakInFlight(), 1);
  });
});
