import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { hasBinary, scrapeConfig, startPrometheus, type Engine } from '../../support/engines.js';
import { createCardWithCases, untilFinished, waitFor } from '../../support/run-helpers.js';
import { requireService } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

interface Target {
  expr?: string;
  datasource?: { uid: string };
}

const dashboardQueries = readdirSync('monitoring/grafana/dashboards').flatMap((file) =>
  (
    JSON.parse(readFileSync(join('monitoring/grafana/dashboards', file), 'utf8')) as {
      panels: { title: string; targets?: Target[] }[];
    }
  ).panels.flatMap((panel) =>
    // Prometheus panels only: the InfluxDB panel's InfluxQL is for InfluxDB 3, which does not run
    // here (test/unit/dashboards checks the measurement it reads).
    (panel.targets ?? [])
      .filter((t) => t.datasource?.uid !== 'influxdb')
      .map((t) => ({
        where: `${file} / ${panel.title}`,
        expr: (t.expr ?? '').replaceAll('$__rate_interval', '1m'),
      })),
  ),
);
const recordingRules = readdirSync('monitoring/rules').flatMap((file) =>
  (
    parse(readFileSync(join('monitoring/rules', file), 'utf8')) as {
      groups: { rules: { record?: string }[] }[];
    }
  ).groups.flatMap((g) => g.rules.flatMap((r) => (r.record === undefined ? [] : [r.record]))),
);

/**
 * The repository's own rule files in the real Prometheus, scraping two instances of the app
 * (one serving runs, one failing with 5xx): after traffic and runs, every recording rule and
 * every dashboard panel query returns data.
 */
describe('recording rules and dashboard queries on the real Prometheus', () => {
  let skip: string | undefined;
  let dir: { path: string; remove(): void };
  let app: TestServer;
  let failing: TestServer;
  let prometheus: Engine | undefined;

  before(async () => {
    skip = await requireService('prometheus (Debian package)', () =>
      hasBinary('prometheus') ? Promise.resolve() : Promise.reject(new Error('not found')),
    );
    if (skip !== undefined) return;
    dir = tempDir('pcs-prom-');
    app = await startTestServer({
      SIMULATED_LATENCY_MS: '2',
      SIMULATED_FAILURE_RATE: '0.4',
      PROVIDER_MAX_RETRIES: '0',
      // anomaly_score comes from the analytics sampler.
      ENABLE_ADVANCED_ANALYTICS: 'true',
      ANALYTICS_SAMPLE_INTERVAL_SECONDS: '1',
      MODEL_PRICES: JSON.stringify({
        'simulated:fast': { input: 0.15, output: 0.6 },
        'simulated:flaky': { input: 0.15, output: 0.6 },
      }),
      // The production-quality panels read the online judge's series: a grader that fails part
      // of its calls (and answers text, not a verdict, when it does not) gives errors, tokens
      // and cost under operation="online_grader".
      GRADER_MODEL: 'simulated:flaky',
    });
    failing = await startTestServer();
    prometheus = await startPrometheus(
      dir.path,
      scrapeConfig([app.url, failing.url], { rules: `${resolve('monitoring/rules')}/*.yml` }),
    );
  });

  after(async () => {
    await prometheus?.stop();
    if (skip !== undefined) return;
    await app.dispose();
    await failing.dispose();
    dir.remove();
  });

  it('return data for every recording rule and every panel query', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    assert.ok(
      recordingRules.length >= 20 && dashboardQueries.length >= 20,
      'the rule and dashboard files were not read',
    );
    const queryProm = async (expr: string) => {
      const res = await fetch(`${prometheus?.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as {
        status: string;
        error?: string;
        data: { result: unknown[] };
      };
      assert.equal(body.status, 'success', `${expr}: ${body.error ?? ''}`);
      return body.data.result;
    };
    await waitFor(
      'both targets up',
      async () =>
        (await queryProm('sum(up{job="prompt-card-backend"})')).length > 0 &&
        JSON.stringify(await queryProm('sum(up{job="prompt-card-backend"})')).includes('"2"')
          ? true
          : undefined,
      30_000,
    );
    await failing.running.database.close();
    // Production traffic: a rule judging every span with a plain check and a rubric, and a rule
    // on a card without assertions (not judged), so every online series has samples.
    const judged = await app.request('POST', '/api/prompt-cards', {
      title: 'Production',
      prompt_template: 'Answer: {{question}}',
    });
    const bare = await app.request('POST', '/api/prompt-cards', {
      title: 'Bare',
      prompt_template: 'Answer: {{question}}',
    });
    for (const [card, assertions] of [
      [
        judged,
        [
          { type: 'icontains', value: 'refund' },
          { type: 'llm-rubric', value: 'The answer is polite' },
        ],
      ],
      [bare, null],
    ] as const) {
      const rule = await app.request('POST', `/api/prompt-cards/${card.body.id}/online-rules`, {
        sample_rate: 1,
        require_card_attribute: false,
        variables: { question: 'input' },
        assertions,
      });
      assert.equal(rule.status, 201, rule.text);
    }
    const hex = (bytes: number) => randomBytes(bytes).toString('hex');
    let spans = 0;
    const started = Date.now();
    while (Date.now() - started < 6000) {
      const exported = await app.request('POST', '/api/v1/traces', {
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: hex(16),
                    spanId: hex(8),
                    attributes: [
                      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                      { key: 'input.value', value: { stringValue: 'Can I get a refund?' } },
                      {
                        key: 'output.value',
                        value: { stringValue: spans++ % 2 === 0 ? 'Yes, a refund.' : 'No.' },
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      });
      assert.equal(exported.status, 200, exported.text);
      const cardId = await createCardWithCases(app, 3, [{ type: 'contains', value: 'word1' }]);
      const run = await app.request('POST', `/api/prompt-cards/${cardId}/runs`, {
        models: ['simulated:fast', 'simulated:flaky'],
      });
      await untilFinished(app, run.body.id);
      await failing.request('GET', '/api/prompt-cards');
      await app.request('GET', '/api/prompt-cards');
    }
    const missing = async () => {
      const empty: string[] = [];
      for (const record of recordingRules)
        if ((await queryProm(record)).length === 0) empty.push(`rule ${record}`);
      for (const q of dashboardQueries)
        if ((await queryProm(q.expr)).length === 0) empty.push(`${q.where}: ${q.expr}`);
      return empty;
    };
    let last: string[] = [];
    await waitFor(
      'data for every rule and query',
      async () => {
        last = await missing();
        return last.length === 0 ? true : undefined;
      },
      60_000,
    ).catch(() => assert.deepEqual(last, []));
  });
});
