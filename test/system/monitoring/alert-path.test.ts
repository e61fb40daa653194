import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  startHttpReceiver,
  startSmtpReceiver,
  type HttpReceiver,
  type SmtpReceiver,
} from '../../support/alert-receivers.js';
import {
  hasBinary,
  scrapeOneInstance,
  startAlertmanager,
  scrapeConfig,
  startPrometheus,
  type Engine,
} from '../../support/engines.js';
import { waitFor } from '../../support/run-helpers.js';
import { requireService } from '../../support/system.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const TOKEN = 'am-to-app-token';

/** Runs the doctor as a child process, asynchronously: the apps it probes live in this process. */
async function runDoctor(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const [status] = (await once(child, 'exit')) as [number | null];
  return { status, stdout };
}

/**
 * The whole alert path with the real engines: an error burst in the app → Prometheus (scrape
 * and evaluation every second, a rule with short windows) → Alertmanager (group_wait 1 s) →
 * the app's webhook → a Slack-format POST on a loopback Slack receiver and an e-mail on a real
 * SMTP server; then the resolution along the same path. Two instances, as when scaled out:
 * the scraped one fails (its database is closed: every card request is a 500) while the other
 * receives Alertmanager's webhook.
 */
describe('error burst → Prometheus → Alertmanager → app → Slack and e-mail', () => {
  let skip: string | undefined;
  let dir: { path: string; remove(): void };
  let slack: HttpReceiver;
  let smtp: SmtpReceiver;
  let app: TestServer;
  let failing: TestServer;
  let prometheus: Engine | undefined;
  let alertmanager: Engine | undefined;

  before(async () => {
    skip = await requireService('prometheus and prometheus-alertmanager (Debian packages)', () =>
      hasBinary('prometheus') && hasBinary('prometheus-alertmanager')
        ? Promise.resolve()
        : Promise.reject(new Error('binaries not found')),
    );
    if (skip !== undefined) return;
    dir = tempDir('pcs-engines-');
    slack = await startHttpReceiver('ok');
    smtp = await startSmtpReceiver();
    failing = await startTestServer();
    app = await startTestServer({
      ALERT_WEBHOOK_TOKEN: TOKEN,
      SLACK_WEBHOOK_URL: slack.url,
      SMTP_URL: smtp.url,
      ALERT_EMAIL_FROM: 'alerts@pcs.test',
      ALERT_EMAIL_TO: 'oncall@pcs.test',
    });
    const secrets = join(dir.path, 'secrets');
    mkdirSync(secrets);
    writeFileSync(join(secrets, 'token'), TOKEN);
    alertmanager = await startAlertmanager(
      dir.path,
      `route:
  receiver: app
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: app
    webhook_configs:
      - url: ${app.url}/api/alerts/webhook
        send_resolved: true
        http_config:
          authorization:
            credentials_file: ${join(secrets, 'token')}
`,
    );
    writeFileSync(
      join(dir.path, 'rules.yml'),
      `groups:
  - name: short-windows
    interval: 1s
    rules:
      - alert: HighErrorRate
        expr: sum by (job) (rate(http_requests_total{status_code=~"5.."}[5s])) / sum by (job) (rate(http_requests_total[5s])) > 0.05
        for: 1s
        labels:
          severity: critical
        annotations:
          summary: More than 5 % of requests fail with 5xx
          description: 'error ratio {{ $value }}'
          runbook_url: docs/runbooks/HighErrorRate.md
`,
    );
    prometheus = await startPrometheus(
      dir.path,
      scrapeConfig([failing.url], {
        rules: join(dir.path, 'rules.yml'),
        alertmanager: alertmanager.url,
      }),
    );
  });

  after(async () => {
    await prometheus?.stop();
    await alertmanager?.stop();
    if (skip !== undefined) return;
    await app.dispose();
    await failing.dispose();
    await slack.close();
    await smtp.close();
    dir.remove();
  });

  it('fires on an error burst and resolves when it ends, through Slack and e-mail', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    // Prometheus must have scraped the app before the burst, so rate() has a baseline.
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
    // The error burst: with the database closed, every card request is a 500.
    await failing.running.database.close();
    const firstError = Date.now();
    const burst = setInterval(() => void failing.request('GET', '/api/prompt-cards'), 50);
    try {
      await waitFor('a Slack POST', () => (slack.posts.length > 0 ? true : undefined), 60_000);
    } finally {
      clearInterval(burst);
    }
    const latencyMs = (slack.posts[0]?.at ?? 0) - firstError;
    console.log(`first error → Slack POST: ${latencyMs} ms`);
    assert.match(
      slack.posts[0]?.body ?? '',
      /HighErrorRate: More than 5 % of requests fail with 5xx/,
    );
    assert.match(slack.posts[0]?.body ?? '', /"color":"danger"/);
    await waitFor('an e-mail', () => (smtp.messages.length > 0 ? true : undefined), 30_000);
    assert.match(smtp.messages[0]?.raw ?? '', /Subject: \[CRITICAL\] HighErrorRate/);

    // The burst ends: only successful requests now, so the ratio falls to 0 and the alert resolves.
    const healthy = setInterval(() => void failing.request('GET', '/live'), 50);
    try {
      await waitFor(
        'the resolution on Slack',
        () =>
          slack.posts.some((p) => p.body.includes('[RESOLVED] HighErrorRate')) ? true : undefined,
        90_000,
      );
    } finally {
      clearInterval(healthy);
    }
    await waitFor(
      'the resolution e-mail',
      () =>
        smtp.messages.some((m) => /Subject: \[RESOLVED\] HighErrorRate/.test(m.raw))
          ? true
          : undefined,
      30_000,
    );
    const history = (await app.request('GET', '/api/alerts/history')).body.items.map(
      (e: { status: string }) => e.status,
    );
    assert.deepEqual(history, ['resolved', 'firing']);
  });

  it('npm run doctor passes against the stack, and fails naming Prometheus when it stops', async (t) => {
    if (skip !== undefined) return t.skip(skip);
    // A Prometheus of its own that scrapes the serving instance.
    const scraper = await startPrometheus(join(dir.path, 'doctor'), scrapeOneInstance(app.url));
    const doctorEnv = {
      APP_URL: app.url,
      PROMETHEUS_URL: scraper.url,
      ALERTMANAGER_URL: alertmanager?.url ?? '',
    };
    await waitFor(
      'the first scrape',
      async () => ((await runDoctor(doctorEnv)).status === 0 ? true : undefined),
      30_000,
    );
    const passing = await runDoctor(doctorEnv);
    assert.equal(passing.status, 0, passing.stdout);
    assert.match(passing.stdout, /OK {3}Prometheus scrapes the app: 1 target\(s\) up/);
    assert.match(passing.stdout, /OK {3}Alertmanager answers/);
    await scraper.stop();
    const failed = await runDoctor(doctorEnv);
    assert.equal(failed.status, 1);
    assert.match(
      failed.stdout,
      /FAIL Prometheus scrapes the app: Prometheus at \S+ unreachable \(ECONNREFUSED\)/,
    );
    assert.match(failed.stdout, /fix: Start Prometheus/);
  });
});
