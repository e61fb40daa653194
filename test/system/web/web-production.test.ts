/**
 * A card's Production view in real headless Chromium (Debian `chromium`, playwright-core):
 * spans exported as OTLP/JSON to `POST /api/v1/traces` are judged by the card's test-case
 * assertion; the view shows the pass ratio, the failing span with its input, output and the
 * assertion that failed, and the link TRACE_URL_TEMPLATE makes of its trace id; the rule editor
 * shows the API's 422 at its field, adds a rule and deletes it. The page fits 1280 and 390 px
 * with no critical or serious axe-core violation. Without Chromium the suite skips, and fails
 * under REQUIRE_SYSTEM=1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startMain } from '../../support/main-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { CHROMIUM, chromiumMissing, freePort, pageProblems } from './page-checks.js';

const SHOTS = resolve(process.env.UI_SCREENSHOT_DIR ?? 'test-results/ui-screenshots');
const TEMPLATE = 'http://127.0.0.1:16686/trace/{trace_id}?uiFind={span_id}';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const skip = chromiumMissing();

/** One GenAI chat span of OTLP/JSON for the card, ended now. */
function span(cardId: string, n: number, output: string): Json {
  const hex = (width: number) => n.toString(16).padStart(width, '0');
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    traceId: `ab${hex(30)}`,
    spanId: `cd${hex(14)}`,
    name: 'chat gpt-4o-mini',
    startTimeUnixNano: String(now - 1_000_000n),
    endTimeUnixNano: String(now),
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'prompt_card.id', value: { stringValue: cardId } },
      { key: 'input.value', value: { stringValue: `Can I return item ${n}?` } },
      { key: 'output.value', value: { stringValue: output } },
    ],
  };
}

describe('web UI Production view in Chromium', { skip, timeout: 300_000 }, () => {
  let base = '';
  let browser: BrowserContext;
  let page: Page;
  let main: ReturnType<typeof startMain>;
  const dir = tempDir('pcs-web-production-');
  let cardId = '';

  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    assert.ok(response.status < 300, `${path}: ${response.status}`);
    return response.status === 204 ? undefined : await response.json();
  };

  before(async () => {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    main = startMain({
      PORT: String(await freePort()),
      DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      SIMULATED_LATENCY_MS: '0',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
      RATE_LIMIT_WRITES: '0',
      TRACE_URL_TEMPLATE: TEMPLATE,
    });
    base = await main.url(60_000);
    browser = await chromium.launchPersistentContext(join(dir.path, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      // axe-core is injected as a script, which the service's CSP (script-src 'self') refuses.
      bypassCSP: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync'],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    browser.setDefaultTimeout(60_000);
    page.on('dialog', (dialog) => void dialog.accept());

    const card = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Refunds', prompt_template: 'Answer: {{question}}' },
    });
    cardId = card.id as string;
    await api(`/api/prompt-cards/${cardId}/test-cases`, {
      method: 'POST',
      body: {
        name: 'mentions refunds',
        input_variables: { question: 'Can I return it?' },
        assertions: [{ type: 'icontains', value: 'refund' }],
      },
    });
    await api(`/api/prompt-cards/${cardId}/online-rules`, {
      method: 'POST',
      body: { sample_rate: 1, require_card_attribute: true, variables: { question: 'input' } },
    });
    const outputs = ['A refund is possible.', 'Yes, refund within 30 days.', 'Refunds: yes.'];
    const spans = [...outputs, 'Please ask a human.'].map((o, i) => span(cardId, i + 1, o));
    await api('/api/v1/traces', {
      method: 'POST',
      body: {
        resourceSpans: [
          {
            resource: {
              attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
            },
            scopeSpans: [{ spans }],
          },
        ],
      },
    });
    // A CI run of the card, to be drawn beside the production ratio.
    const run = await api(`/api/prompt-cards/${cardId}/runs`, {
      method: 'POST',
      body: { models: ['simulated:fast'] },
    });
    for (let i = 0; (await api(`/api/runs/${run.id as string}`)).status !== 'completed'; i++) {
      assert.ok(i < 600, 'the CI run did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The verdicts arrive in the background: wait until all four are done.
    for (let i = 0; ; i++) {
      const page = await api(`/api/prompt-cards/${cardId}/online-evaluations?limit=100`);
      const items = page.items as Json[];
      if (items.length === 4 && items.every((e) => e.status === 'done')) break;
      assert.ok(i < 600, `verdicts not done: ${JSON.stringify(items.map((e) => e.status))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    await browser?.close();
    main?.child.kill('SIGTERM');
    await main?.exited;
    dir.remove();
  });

  it('is linked from the card page', async () => {
    await page.goto(`${base}/#/cards/${cardId}`);
    await page.getByRole('link', { name: 'Production' }).click();
    await page.waitForFunction(() => window.location.hash.endsWith('/production'));
    await page.locator('#production-title').waitFor();
  });

  it('shows the pass ratio and the failing span with its assertion and trace link', async () => {
    await page.goto(`${base}/#/cards/${cardId}/production`);
    const ratio = page.getByTestId('production-ratio');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=production-ratio]')?.textContent?.includes('%'),
    );
    assert.match((await ratio.textContent()) ?? '', /Pass ratio 75 % of 4 judged spans/);
    assert.match((await ratio.textContent()) ?? '', /Latest CI run: \d+ %/);
    assert.equal(await page.locator('.production-chart circle').count(), 1);
    assert.equal(await page.locator('.production-chart rect').count(), 1, 'the CI run');

    const failing = page.getByTestId('failing-span');
    await failing.first().waitFor();
    assert.equal(await failing.count(), 1);
    const text = (await failing.textContent()) ?? '';
    assert.match(text, /Can I return item 4\?/);
    assert.match(text, /Please ask a human\./);
    assert.match((await failing.locator('.failed-assertions').textContent()) ?? '', /^icontains/);
    const evaluation = (
      (await api(`/api/prompt-cards/${cardId}/online-evaluations?limit=100`)).items as Json[]
    ).find((e) => e.pass === false);
    assert.equal(
      await failing.getByTestId('trace-link').getAttribute('href'),
      `http://127.0.0.1:16686/trace/${evaluation.trace_id}?uiFind=${evaluation.span_id}`,
    );
  });

  it('shows a 422 at its field, adds a rule and deletes it', async () => {
    await page.goto(`${base}/#/cards/${cardId}/production`);
    const rules = page.getByTestId('online-rule');
    await rules.first().waitFor();
    assert.equal(await rules.count(), 1);

    await page.getByLabel('Sample rate (0–1)').fill('1.5');
    await page.getByLabel('Model (response or request model; empty: any)').fill('gpt-4o');
    await page.getByRole('button', { name: 'Add rule' }).click();
    const sampleField = page.locator('.field.invalid', { hasText: 'Sample rate' });
    await sampleField.waitFor();
    assert.match(
      (await sampleField.locator('.field-error').textContent()) ?? '',
      /between 0 and 1/,
    );
    assert.equal(await page.getByLabel('Sample rate (0–1)').getAttribute('aria-invalid'), 'true');
    assert.equal(
      ((await api(`/api/prompt-cards/${cardId}/online-rules`)).items as Json[]).length,
      1,
    );

    await page.getByLabel('Sample rate (0–1)').fill('0.25');
    await page.getByLabel('{{question}}').selectOption('attribute');
    await page.getByLabel('Attribute key for question').fill('app.question');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=online-rule]').length === 2,
    );
    const created = ((await api(`/api/prompt-cards/${cardId}/online-rules`)).items as Json[]).at(
      -1,
    );
    assert.equal(created.model, 'gpt-4o');
    assert.equal(created.sample_rate, 0.25);
    assert.deepEqual(created.variables, { question: 'attribute:app.question' });
    assert.equal(await page.locator('.field.invalid').count(), 0);

    await rules.nth(1).getByRole('button', { name: 'Delete rule' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=online-rule]').length === 1,
    );
    const left = (await api(`/api/prompt-cards/${cardId}/online-rules`)).items as Json[];
    assert.deepEqual(
      left.map((r) => r.model),
      [null],
    );
  });

  it('fits 1280 and 390 px and passes axe-core', async () => {
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/#/cards/${cardId}/production`);
      await page.getByTestId('failing-span').first().waitFor();
      problems.push(
        ...(await pageProblems(page, 'production', join(SHOTS, `production-${width}.png`))),
      );
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(problems, []);
  });
});
