/**
 * The topology contract: the same scenarios on every way the service executes a run — one
 * process, the API in front of two workers (PostgreSQL and Redis), the CLI's embedded engine.
 * Every topology is started once with every run-path feature on: encryption at rest, the event
 * outbox (Redis Streams sink), MLflow tracking (loopback fake, see mlflow-server.ts), InfluxDB
 * (a real influxd), pass-rate alerts, an OpenAI-wire model whose key the test plants.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Kysely } from 'kysely';
import { AlertStore, PASS_RATE_ALERT } from '../../../src/alerting/index.js';
import type { Database } from '../../../src/db/index.js';
import type { Run } from '../../../src/runs/index.js';
import { RUN_ID_TAG } from '../../../src/sinks/index.js';
import { createLogger, type Logger } from '../../../src/telemetry/logging/index.js';
import { requireInfluxd, rows, startInfluxd, type Influxd } from '../../support/influxd.js';
import { startMlflowServer, type MlflowServer } from '../../support/mlflow-server.js';
import { requirePostgres } from '../../support/postgres-schema.js';
import { REDIS_URL, requireRedis, throwawayRedisPrefix } from '../../support/redis.js';
import { readStream, redisClient } from '../../support/redis-stream-reader.js';
import { waitFor } from '../../support/run-helpers.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';
import type { CardSpec, Driver } from './drivers.js';
import { serverEvalCommand } from '../../../src/cli/server-eval.js';
import { tempDir } from '../../support/temp-dir.js';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Not shaped like a known credential: only the configured-secret redaction catches it. */
export const SECRET = 'plantedkey9f8e7d6c5b4a3928';
const INFLUX_DB = 'topology';
const MODEL = 'openai:alpha';
const PLANTED = {
  template: 'PLANTED-TEMPLATE-7f3a',
  input: 'PLANTED-INPUT-91c2',
  expected: 'PLANTED-EXPECTED-4be8',
  output: 'PLANTED-OUTPUT-d05e',
};

export interface TopologyContext {
  /** Every variable of the topology's processes (the topology adds its database and queue). */
  readonly env: Record<string, string>;
  /** The logger every process of the topology writes to. */
  readonly logger: Logger;
}

export interface Topology {
  readonly driver: Driver;
  /** Lets runs execute: starts the workers the first time; nothing where the creator executes. */
  execute(): Promise<void>;
  /** The service's URL, for clients such as `eval --server`; absent for the embedded engine. */
  readonly url?: () => string;
  /** A connection to the topology's database, for the outbox and alert checks. */
  readonly db: () => Kysely<Database>;
  /** Everything the database stores, as text. */
  raw(): Promise<string>;
  close(): Promise<void>;
}

export interface TopologySpec {
  /** Skip reason when a service it needs is missing (a failure under REQUIRE_SYSTEM=1). */
  readonly skip?: () => Promise<string | undefined>;
  start(context: TopologyContext): Promise<Topology>;
}

export function defineTopologyContract(label: string, spec: TopologySpec): void {
  describe(`topology contract: ${label}`, () => {
    const prefix = throwawayRedisPrefix();
    const streamKey = `${prefix}:events`;
    const lines: string[] = [];
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    let skip: string | undefined;
    let wire: WireServer;
    let mlflow: MlflowServer;
    let influx: Influxd;
    let topology: Topology;
    let hook: Server;
    let hookOrigin = '';

    before(async () => {
      skip =
        (await requirePostgres()) ??
        (await requireRedis()) ??
        (await requireInfluxd()) ??
        (await spec.skip?.());
      if (skip !== undefined) return;
      trace.setGlobalTracerProvider(tracer);
      wire = await startWireServer('openai');
      wire.latencyMs = 40;
      wire.answer = (prompt) => `${PLANTED.output} ${prompt}`;
      mlflow = await startMlflowServer();
      influx = await startInfluxd();
      await influx.query(INFLUX_DB, `CREATE DATABASE ${INFLUX_DB}`);
      hook = await startVerdictWebhook();
      hookOrigin = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      topology = await spec.start({
        env: {
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: '0',
          WORKER_PORT: '0',
          SEED_SAMPLES: 'false',
          RATE_LIMIT_WRITES: '0',
          SHUTDOWN_DRAIN_MS: '0',
          METRICS_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
          OPENAI_BASE_URL: wire.url,
          OPENAI_API_KEY: SECRET,
          PROVIDER_MAX_RETRIES: '0',
          REDIS_URL,
          RUN_QUEUE_PREFIX: prefix,
          RUN_JOB_ITEMS: '2',
          RUN_LEASE_TTL_MS: '3000',
          EVENT_SINK: 'redis-stream',
          REDIS_STREAM_KEY: streamKey,
          EVENT_OUTBOX_POLL_INTERVAL_MS: '100',
          MLFLOW_TRACKING_URI: mlflow.url,
          INFLUXDB_URL: influx.url,
          INFLUXDB_DATABASE: INFLUX_DB,
          INFLUXDB_FLUSH_INTERVAL_MS: '100',
          LOG_LEVEL: 'debug',
          SIMULATED_FAILURE_RATE: '0',
          // Named explicitly (no silent grader): the OpenAI-wire server above answers as the
          // grader too (factuality, select-best).
          GRADER_MODEL: 'openai:grader',
          ASSERTION_ENDPOINT_ALLOWED_ORIGINS: hookOrigin,
        },
        logger: createLogger({
          level: 'debug',
          destination: { write: (line: string) => void lines.push(line) },
        }),
      });
    });
    after(async () => {
      if (skip !== undefined) return;
      await topology.close();
      trace.disable();
      await tracer.shutdown();
      await Promise.all([
        wire.close(),
        mlflow.close(),
        influx.dispose(),
        new Promise((resolve) => hook.close(resolve)),
      ]);
    });

    const card = (extra: Partial<CardSpec> = {}): CardSpec => ({
      title: 'Topology card',
      template: `${PLANTED.template} {{word}}`,
      cases: [1, 2, 3].map((i) => ({ word: `${PLANTED.input}-${i}`, expected: PLANTED.expected })),
      assertions: [{ type: 'icontains', value: 'planted' }],
      ...extra,
    });
    const finished = async (runId: string): Promise<Run> => {
      await topology.execute();
      return waitFor(
        `run ${runId} to finish`,
        async () => {
          const run = await topology.driver.getRun(runId);
          return run !== undefined && !['queued', 'running'].includes(run.status) ? run : undefined;
        },
        60_000,
      );
    };
    const runOf = async (spec: CardSpec, concurrency = 2) => {
      const cardId = await topology.driver.createCard(spec);
      const runId = await topology.driver.createRun(cardId, [MODEL], concurrency);
      return { cardId, runId };
    };

    it('gives the newer assertion kinds the same verdicts (moderation included), their values rendered with the vars', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const sql = 'SELECT id, name FROM users WHERE id = 1';
      const json = {
        type: 'object',
        required: ['name', 'count'],
        properties: { count: { type: 'number' } },
      };
      const graded = { type: 'factuality', value: 'Paris is the capital' };
      const webhook = { type: 'webhook', value: `${hookOrigin}/verdict` };
      const cases = [
        // Structured and text metrics; the reference is the test's var, rendered ({{word}}).
        {
          word: sql,
          assertions: [
            { type: 'is-sql' },
            { type: 'levenshtein', value: '{{word}}', threshold: 0 },
            { type: 'rouge-n', value: '{{ word }}' },
          ],
        },
        {
          word: '{"name": "pcs", "count": 2}',
          assertions: [{ type: 'contains-json', value: json }],
        },
        { word: '{"name": "pcs"}', assertions: [{ type: 'contains-json', value: json }] },
        { word: 'Paris is the capital', assertions: [graded] },
        { word: 'Lyon is the capital', assertions: [graded] },
        { word: 'webhook ok', assertions: [webhook] },
        { word: 'webhook refused', assertions: [webhook] },
        // Moderation on the OpenAI-wire server (it flags the categories named in brackets).
        { word: 'calm words', assertions: [{ type: 'moderation' }] },
        { word: '[violence] words', assertions: [{ type: 'moderation', value: ['violence'] }] },
        { word: '[hate] words', assertions: [{ type: 'moderation', value: ['violence'] }] },
      ];
      const words = new Set(cases.map((c) => c.word));
      const before = wire.answer;
      // The model repeats its prompt; as the grader it compares the expert and submitted answers.
      wire.answer = (prompt) => {
        if (words.has(prompt)) return prompt;
        const [, ideal, submitted] =
          /\[Expert answer\]: (.*)\n\[Submitted answer\]: (.*)/.exec(prompt) ?? [];
        return ideal !== undefined && ideal === submitted
          ? '{"category": "C", "reason": "the same details"}'
          : '{"category": "D", "reason": "they disagree"}';
      };
      try {
        const { runId } = await runOf(card({ template: '{{word}}', cases }));
        const run = await finished(runId);
        assert.equal(run.status, 'completed', run.error ?? '');
        const results = await topology.driver.results(runId);
        const verdicts = Object.fromEntries(
          results.map((r) => [
            r.rendered_prompt,
            r.error === null ? r.passed : `error: ${r.error.message}`,
          ]),
        );
        assert.deepEqual(verdicts, {
          [sql]: true,
          '{"name": "pcs", "count": 2}': true,
          '{"name": "pcs"}': false,
          'Paris is the capital': true,
          'Lyon is the capital': false,
          'webhook ok': true,
          'webhook refused': false,
          'calm words': true,
          '[violence] words': false,
          '[hate] words': true,
        });
        const sqlResult = results.find((r) => r.rendered_prompt === sql);
        assert.deepEqual(
          sqlResult?.assertions.map((a) => [a.type, a.pass]),
          [
            ['is-sql', true],
            ['levenshtein', true],
            ['rouge-n', true],
          ],
        );
      } finally {
        wire.answer = before;
      }
    });

    it('renders the version a run pinned, after the template changed', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const spec = card({ template: 'VERSION-ONE {{word}}' });
      const { cardId, runId } = await runOf(spec, 1);
      await topology.driver.setTemplate(cardId, spec, 'VERSION-TWO {{word}}');
      const run = await finished(runId);
      assert.equal(run.status, 'completed', run.error ?? '');
      assert.equal(run.prompt_version, 1);
      const results = await topology.driver.results(runId);
      assert.equal(results.length, 3);
      for (const result of results) assert.match(result.rendered_prompt, /^VERSION-ONE /);
    });

    it("keeps the run's totals equal to its stored results", async (t) => {
      if (skip !== undefined) return t.skip(skip);
      // A check that not every answer need pass: the kept counts must match the rows either way.
      const { runId } = await runOf(card({ assertions: [{ type: 'contains', value: '-2' }] }));
      const run = await finished(runId);
      assert.equal(run.status, 'completed', run.error ?? '');
      const results = await topology.driver.results(runId);
      const [summary] = run.summary;
      assert.equal(run.summary.length, 1);
      assert.equal(summary?.model, MODEL);
      assert.equal(summary?.simulated, false);
      assert.equal(summary?.results, results.length);
      assert.equal(summary?.passed, results.filter((r) => r.passed).length);
      assert.equal(summary?.errored, results.filter((r) => r.error !== null).length);
      assert.equal(
        summary?.failed,
        results.filter((r) => r.judged && !r.passed && r.error === null).length,
      );
      assert.equal(
        (summary?.passed ?? 0) +
          (summary?.failed ?? 0) +
          (summary?.errored ?? 0) +
          (summary?.not_judged ?? 0),
        results.length,
      );
    });

    it('completes a run with encryption at rest and stores nothing readable of it', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const { runId } = await runOf(card());
      const run = await finished(runId);
      assert.equal(run.status, 'completed', run.error ?? '');
      const results = await topology.driver.results(runId);
      assert.ok(
        results.every((r) => r.output?.includes(PLANTED.output) === true),
        'answers read back',
      );
      const raw = await topology.raw();
      assert.ok(raw.includes('Topology card'), 'the dump is readable (titles are plaintext)');
      for (const [what, text] of Object.entries(PLANTED)) {
        const at = raw.indexOf(text);
        assert.equal(at, -1, `${what} stored in plaintext: …${raw.slice(at - 300, at + 100)}…`);
      }
    });

    it('writes run.created, run.started, a result.recorded per item and run.finished to the outbox and the sink', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const { runId } = await runOf(card());
      await finished(runId);
      const outbox = await topology
        .db()
        .selectFrom('event_outbox')
        .select('type')
        .where('subject', '=', runId)
        .orderBy('seq')
        .execute();
      const types = outbox.map((r) => r.type.replace(/^.*\.(run|result)\./, '$1.'));
      assert.deepEqual(
        [...types].sort(),
        [
          'result.recorded',
          'result.recorded',
          'result.recorded',
          'run.created',
          'run.finished',
          'run.started',
        ],
        types.join(', '),
      );
      assert.equal(types[0], 'run.created');
      assert.equal(types.at(-1), 'run.finished');
      const client = redisClient();
      await client.connect();
      try {
        await waitFor('run.finished on the stream', async () =>
          (await readStream(client, streamKey)).some(
            (e) => e.subject === runId && e.type.endsWith('run.finished'),
          )
            ? true
            : undefined,
        );
      } finally {
        client.disconnect();
      }
    });

    it('fires the pass-rate alert of a run below its card threshold', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const spec = card({
        assertions: [{ type: 'contains', value: 'never-in-the-answer' }],
        passRateThreshold: 0.9,
      });
      const { cardId, runId } = await runOf(spec);
      await finished(runId);
      const alert = await waitFor('the pass-rate alert', async () =>
        (await new AlertStore(topology.db()).firing()).find(
          (a) => a.name === PASS_RATE_ALERT && a.labels.card_id === cardId,
        ),
      );
      assert.equal(alert.labels.model, MODEL);
    });

    it('sends the run to MLflow and its points to InfluxDB', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const { runId } = await runOf(card());
      await finished(runId);
      const tracked = await waitFor('the finished MLflow run', () =>
        [...mlflow.runs.values()].find(
          (r) => r.tags.get(RUN_ID_TAG) === runId && r.info.status === 'FINISHED',
        ),
      );
      assert.ok(tracked.metrics.length > 0);
      const points = await waitFor('the result points', async () => {
        const found = rows(
          await influx.query(INFLUX_DB, `SELECT * FROM run_result WHERE run_id = '${runId}'`),
        );
        return found.length >= 3 ? found : undefined;
      });
      assert.equal(points.length, 3);
    });

    it('runs a suite with prompt-cards eval --server and reports its verdicts', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      if (topology.url === undefined)
        return t.skip('no service to run on: the embedded engine is the local eval itself');
      await topology.execute();
      const dir = tempDir('pcs-topology-eval-');
      try {
        const config = join(dir.path, 'suite.yaml');
        writeFileSync(
          config,
          [
            `prompts: ['${PLANTED.template} eval {{word}}']`,
            `providers: [${MODEL}]`,
            'tests:',
            '  - {description: one, vars: {word: w1}, assert: [{type: icontains, value: planted}]}',
            '  - {description: two, vars: {word: w2}, assert: [{type: contains, value: never-here}]}',
            '',
          ].join('\n'),
        );
        const lines: string[] = [];
        const { code, report } = await serverEvalCommand({
          config,
          server: topology.url(),
          pollMs: 100,
          log: (line) => lines.push(line),
        });
        assert.equal(code, 1, lines.join('\n'));
        assert.deepEqual(
          report?.rows.map((r) => [r.test, r.model, r.verdict]),
          [
            ['one', MODEL, 'pass'],
            ['two', MODEL, 'fail'],
          ],
        );
        const runId = /^run (\S+) of/m.exec(lines.join('\n'))?.[1] ?? '';
        assert.equal((await topology.driver.getRun(runId))?.status, 'completed');
        assert.equal((await topology.driver.results(runId)).length, 2);
      } finally {
        dir.remove();
      }
    });

    it('grades max-score and select-best across the models of a run with the same verdicts', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      // Three models, so a row's items fall into different jobs (RUN_JOB_ITEMS 2) and, with
      // workers, different processes. beta adds "beta" to the answer of case 1 only: it wins
      // that row (a higher score of the other checks; the grader picks the text mentioning beta);
      // the other rows tie, promptfoo's tie goes to the first output (alpha), and the grader
      // answers the first text too.
      const answer = wire.answer;
      // As the grader (model `grader`), the server picks the first <Text> mentioning beta, else 0.
      wire.answer = (prompt, model) => {
        if (model === 'grader') {
          const texts = [...prompt.matchAll(/<Text index="(\d+)">\n([\s\S]*?)\n<\/Text>/g)];
          return texts.find((t) => t[2]?.includes('beta'))?.[1] ?? '0';
        }
        return `${PLANTED.output} ${prompt}${model === 'beta:7b' && prompt.endsWith('-1') ? ' beta' : ''}`;
      };
      const models = [MODEL, 'openai:beta:7b', 'simulated:fast'];
      try {
        const cardId = await topology.driver.createCard(
          card({
            // No expected output: the verdicts are those of the assertions alone.
            cases: [1, 2, 3].map((i) => ({ word: `${PLANTED.input}-${i}` })),
            assertions: [
              { type: 'icontains', value: 'beta' },
              { type: 'max-score' },
              { type: 'select-best', value: 'the text mentioning beta' },
            ],
          }),
        );
        const runId = await topology.driver.createRun(cardId, models, 2);
        const run = await finished(runId);
        assert.equal(run.status, 'completed', run.error ?? '');
        const results = await topology.driver.results(runId);
        const verdicts = [1, 2, 3].map((i) =>
          models.map((model) => {
            const r = results.find(
              (x) => x.model === model && x.rendered_prompt.endsWith(`${PLANTED.input}-${i}`),
            );
            const of = (type: string) => r?.assertions.find((a) => a.type === type)?.pass;
            return [of('max-score'), of('select-best'), r?.passed];
          }),
        );
        const lost = [false, false, false];
        const wins = [true, true, false];
        assert.deepEqual(
          verdicts,
          [
            [lost, [true, true, true], lost],
            [wins, lost, lost],
            [wins, lost, lost],
          ],
          JSON.stringify(results.map((r) => [r.model, r.output, r.assertions])),
        );
        // The kept totals count the verdicts as rewritten by the comparisons.
        for (const summary of run.summary)
          assert.equal(
            summary.passed,
            results.filter((r) => r.model === summary.model && r.passed).length,
          );
      } finally {
        wire.answer = answer;
      }
    });

    it('keeps a key the provider echoes out of results, logs and spans', async (t) => {
      if (skip !== undefined) return t.skip(skip);
      const echo = JSON.stringify({
        error: { message: `Incorrect API key provided: ${SECRET}.`, code: 'invalid_api_key' },
      });
      wire.faults.length = 0;
      for (let i = 0; i < 3; i++) wire.faults.push({ kind: 'status', status: 401, body: echo });
      const { runId } = await runOf(card(), 1);
      await finished(runId);
      const results = await topology.driver.results(runId);
      assert.equal(results.length, 3);
      for (const result of results) {
        assert.equal(result.error?.type, 'auth');
        assert.match(result.error?.message ?? '', /\[redacted\]/);
      }
      assert.equal(JSON.stringify(results).includes(SECRET), false, 'a result holds the key');
      assert.ok(lines.length > 0, 'the processes log');
      for (const line of lines) assert.equal(line.includes(SECRET), false, `logged: ${line}`);
      const spans = exporter.getFinishedSpans();
      assert.ok(spans.length > 0, 'the processes trace');
      for (const span of spans)
        assert.equal(
          JSON.stringify([span.status, span.events, span.attributes]).includes(SECRET),
          false,
          `span ${span.name} holds the key`,
        );
    });
  });
}

/** A loopback webhook: `{pass: true}` when the output says "ok", else a failing verdict. */
async function startVerdictWebhook(): Promise<Server> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const { output } = JSON.parse(body) as { output: string };
      const pass = / ok$/.test(output);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ pass, reason: pass ? 'says ok' : 'does not say ok' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
