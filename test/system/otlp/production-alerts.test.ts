/**
 * The production alerts end to end through the real engines: a separate application process
 * exports GenAI spans with the official OpenTelemetry JS SDK (OTLP/protobuf, one span every
 * 200 ms), the app ingests them and judges every one online with an `llm-rubric` rule (each
 * exported span gets exactly one verdict); the real Prometheus scrapes it every second and
 * evaluates the repository's generated rule expressions (judge health and the production-quality
 * SLO; only `for` and the interval shortened to 1s); the real Alertmanager routes with the
 * repository's routing tree and Slack templates to a loopback HTTP receiver standing in for
 * Slack (Slack itself is not reachable from here).
 *
 * The judge is a loopback OpenAI-compatible server, because its outage is the fault injected:
 * while it answers 503 every verdict is an error, so spans are sampled but no verdict comes and
 * `OnlineEvaluationStalled` fires; when it answers again (a failing grade) the stall resolves and
 * every verdict fails, so the card's `ProductionQualityErrorBudgetBurn` fires.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpReceiver, type HttpReceiver } from '../../support/alert-receivers.js';
import {
  hasBinary,
  startAlertmanager,
  scrapeConfig,
  startPrometheus,
  type Engine,
} from '../../support/engines.js';
import { productionAlertmanager, shortRuleGroups } from '../../support/production-alert-config.js';
import { waitFor } from '../../support/run-helpers.js';
import { requireService } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');
// A separate application process exporting with the official OpenTelemetry JS SDK.
const EXPORTER = join(process.cwd(), 'test/integration/otlp/export-genai-spans.ts');

interface Exported {
  readonly traceId: string;
  readonly spanId: string;
}

describe('production alerts: OTLP spans → online judge → Prometheus → Alertmanager → Slack', () => {
  let skip: string | undefined;
  let dir: { path: string; remove(): void };
  let slack: HttpReceiver;
  let judge: WireServer;
  let app: TestServer;
  let prometheus: Engine | undefined;
  let alertmanager: Engine | undefined;

  before(async () => {
    skip = await requireService('prometheus and prometheus-alertmanager (Debian packages)', () =>
      hasBinary('prometheus') && hasBinary('prometheus-alertmanager')
        ? Promise.resolve()
        : Promise.reject(new Error('binaries not found')),
    );
    if (skip !== undefined) return;
    dir = tempDir('pcs-online-alerts-');
    slack = await startHttpReceiver('ok');
    judge = await startWireServer('openai');
    app = await startTestServer({
      GRADER_MODEL: 'openai:judge',
      OPENAI_BASE_URL: judge.url,
      OPENAI_API_KEY: 'sk-loopback',
      PROVIDER_MAX_RETRIES: '0',
    });
    const slackUrlFile = join(dir.path, 'slack_webhook_url');
    writeFileSync(slackUrlFile, slack.url);
    alertmanager = await startAlertmanager(
      dir.path,
      productionAlertmanager('monitoring/alertmanager.yml', slackUrlFile),
    );
    const rules = join(dir.path, 'rules.yml');
    writeFileSync(
      rules,
      shortRuleGroups(
        ['monitoring/rules/online-eval-alerts.yml', 'monitoring/rules/slo.yml'],
        [
          'online-evaluation-alerts',
          'slo-production-quality-recording',
          'slo-production-quality-alerts',
        ],
      ),
    );
    prometheus = await startPrometheus(
      dir.path,
      scrapeConfig([app.url], { rules, alertmanager: alertmanager.url }),
    );
  });

  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    if (skip !== undefined) return;
    await app.dispose();
    await judge.close();
    await slack.close();
    dir.remove();
  });

  it('judge down fires OnlineEvaluationStalled; failing verdicts resolve it and fire the burn alert', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    const card = await app.request('POST', '/api/prompt-cards', {
      title: 'Checkout assistant',
      prompt_template: 'Answer: {{question}}',
    });
    assert.equal(card.status, 201, card.text);
    const cardId = card.body.id as string;
    const rule = await app.request('POST', `/api/prompt-cards/${cardId}/online-rules`, {
      service_name: 'checkout-assistant',
      require_card_attribute: false,
      sample_rate: 1,
      variables: { question: 'input' },
      assertions: [{ type: 'llm-rubric', value: 'The answer is polite' }],
    });
    assert.equal(rule.status, 201, rule.text);

    await waitFor(
      'the app target up',
      async () => {
        const res = await fetch(
          `${prometheus?.url}/api/v1/query?query=${encodeURIComponent('up{job="prompt-card-backend"}')}`,
        );
        const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result[0]?.value[1] === '1' ? true : undefined;
      },
      30_000,
    );
    const posted = (text: string) =>
      slack.posts.some((p) => p.body.includes(text)) ? true : undefined;
    const sdk = spawn(
      process.execPath,
      [
        '--import',
        TSX,
        EXPORTER,
        'proto',
        `${app.url}/api/v1/traces`,
        'unused',
        'every:200',
        cardId,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let sdkOut = '';
    sdk.stdout.on('data', (chunk: Buffer) => (sdkOut += chunk.toString()));
    try {
      // The judge is down: every grader call is a 503, every verdict an error.
      judge.faults.push(
        ...Array.from({ length: 100_000 }, () => ({ kind: 'status' as const, status: 503 })),
      );
      await waitFor(
        'OnlineEvaluationStalled on Slack',
        () => posted('OnlineEvaluationStalled (firing)'),
        60_000,
      );
      const stalled = slack.posts.find((p) => p.body.includes('OnlineEvaluationStalled (firing)'));
      assert.match(stalled?.body ?? '', /online evaluation gives no verdict/);
      assert.match(stalled?.body ?? '', /docs\/runbooks\/OnlineEvaluationStalled\.md/);
      const errored = await app.request('GET', `/api/prompt-cards/${cardId}/online-evaluations`);
      const done = (errored.body.items as { status: string; error: string | null }[]).filter(
        (e) => e.status === 'done',
      );
      assert.ok(done.length > 0 && done.every((e) => e.error !== null), errored.text);
      assert.equal(posted('ProductionQualityErrorBudgetBurn'), undefined, 'no verdict, no burn');

      // The judge is back and grades every answer impolite: verdicts come again, all failing.
      judge.faults.length = 0;
      judge.answer = () => '{"score": 0.1, "reason": "The answer is curt."}';
      await waitFor(
        'OnlineEvaluationStalled resolved and the burn alert on Slack',
        () =>
          posted('OnlineEvaluationStalled (resolved)') &&
          posted('ProductionQualityErrorBudgetBurn (firing)'),
        90_000,
      );
    } finally {
      const exited = once(sdk, 'exit');
      sdk.kill('SIGTERM');
      await exited;
    }
    const exported = JSON.parse(sdkOut.trim().split('\n').at(-1) ?? '[]') as Exported[];
    const burn = slack.posts.find((p) =>
      p.body.includes('ProductionQualityErrorBudgetBurn (firing)'),
    );
    assert.match(burn?.body ?? '', new RegExp(`production-quality card ${cardId}`));
    assert.ok(exported.length > 0, sdkOut);
    // Every span the SDK exported has exactly one verdict (an error while the judge was down).
    const all = async () => {
      const items: { trace_id: string; span_id: string; status: string }[] = [];
      let after = '';
      for (;;) {
        const page = await app.request(
          'GET',
          `/api/prompt-cards/${cardId}/online-evaluations?limit=100${after}`,
        );
        assert.equal(page.status, 200, page.text);
        items.push(...(page.body.items as typeof items));
        const next = page.body.next as string | null | undefined;
        if (next === null || next === undefined) return items;
        after = `&after=${encodeURIComponent(next)}`;
      }
    };
    const judged = await waitFor(
      'a verdict for every exported span',
      async () => {
        const items = await all();
        return items.length >= exported.length && items.every((e) => e.status === 'done')
          ? items
          : undefined;
      },
      60_000,
    );
    const seen = new Map<string, number>();
    for (const e of judged)
      seen.set(`${e.trace_id}/${e.span_id}`, (seen.get(`${e.trace_id}/${e.span_id}`) ?? 0) + 1);
    for (const span of exported)
      assert.equal(seen.get(`${span.traceId}/${span.spanId}`), 1, `one verdict for ${span.spanId}`);
    assert.equal(judged.length, exported.length);
    const failed = await app.request('GET', `/api/prompt-cards/${cardId}/online-evaluations`);
    assert.ok(
      (failed.body.items as { status: string; judged: boolean; pass: boolean }[]).some(
        (e) => e.status === 'done' && e.judged && !e.pass,
      ),
      failed.text,
    );
  });
});
