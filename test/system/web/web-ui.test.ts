/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser: they need the DOM types.
/**
 * The web UI end to end in real headless Chromium (Debian `chromium`, driven by playwright-core):
 * authoring, a live run with cancel and resume, reading why a result failed, comparison, card
 * switching and reload during a run, and a 5,000-result run scrolled while a PerformanceObserver
 * records long main-thread tasks. Screenshots of each page go to UI_SCREENSHOT_DIR (default
 * test-results/ui-screenshots). Without Chromium the suite skips, and fails under REQUIRE_SYSTEM=1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startMain } from '../../support/main-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { CHROMIUM, chromiumMissing, freePort } from './page-checks.js';

const SHOTS = resolve(process.env.UI_SCREENSHOT_DIR ?? 'test-results/ui-screenshots');

/** API answers, read and asserted field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const skip = chromiumMissing();

describe('web UI in Chromium', { skip, timeout: 600_000 }, () => {
  let base = '';
  let browser: BrowserContext;
  let page: Page;
  let main: ReturnType<typeof startMain>;
  const dir = tempDir('pcs-web-');

  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return await response.json();
  };
  const waitForRun = async (id: string, done: (run: Json) => boolean, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await api(`/api/runs/${id}`);
      if (done(run)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} stayed ${run.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const shot = (name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const completed = async () => Number(await page.getByTestId('completed').textContent());

  before(async () => {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    main = startMain({
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'info',
      SIMULATED_LATENCY_MS: '120',
      SIMULATED_LATENCY_JITTER: '0',
      SIMULATED_FAILURE_RATE: '0',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
      ENABLE_ADVANCED_ANALYTICS: 'true',
      ANALYTICS_SAMPLE_INTERVAL_SECONDS: '1',
      // The suite sets up far more than one person writes in a minute; the write limit has its
      // own tests (test/integration/auth).
      RATE_LIMIT_WRITES: '0',
    });
    base = await main.url(60_000);
    // A fresh profile folder per run (playwright-core takes it as the persistent context's dir).
    browser = await chromium.launchPersistentContext(join(dir.path, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    // Waits are for what a user sees, not for speed: on a machine other work shares, a 30 s
    // default (Playwright's) is not enough for a page that polls a busy server.
    browser.setDefaultTimeout(90_000);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await browser?.close();
    main?.child.kill('SIGTERM');
    await main?.exited;
    dir.remove();
  });

  let cardId = '';
  let firstRunId = '';

  it('creates a card (field errors from the API, variables derived live) and three test cases', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: 'New card' }).click();
    await page
      .getByLabel('Prompt template')
      .fill('Greet {{name}} from {{ city }} in one sentence.');
    assert.deepEqual(await page.locator('.variables code').allTextContents(), ['name', 'city']);
    await page.getByRole('button', { name: 'Create card' }).click();
    // The API's 422 names `body.title`; the message is shown on the Title field.
    await page.locator('.field.invalid', { hasText: 'Title' }).getByRole('alert').waitFor();
    await shot('cards');
    await page.getByLabel('Title').fill('Greeting');
    await page.getByRole('button', { name: 'Create card' }).click();
    await page.waitForURL(/#\/cards\//);
    cardId = decodeURIComponent(/#\/cards\/([^/]+)/.exec(page.url())![1]);

    const cases = [
      ['Ada', 'Ada', 'London', 'Ada'],
      ['Grace', 'Grace', 'Arlington', 'Grace'],
      ['Never', 'Linus', 'Helsinki', 'no-such-word-anywhere'],
    ];
    for (const [caseName, name, city, expected] of cases) {
      await page.locator('details.add-case > summary').click();
      const form = page.locator('details.add-case form');
      await form.getByLabel('Test case name').fill(caseName);
      await form.getByLabel('{{name}}').fill(name);
      await form.getByLabel('{{city}}').fill(city);
      await form.getByLabel('Kind').selectOption('icontains');
      await form.getByRole('button', { name: 'Add assertion' }).click();
      await form.getByLabel('Value').fill(expected);
      await form.getByRole('button', { name: 'Add test case' }).click();
      await page.getByRole('cell', { name: caseName, exact: true }).waitFor();
      await page.locator('details.add-case > summary').click();
    }
    const stored = await api(`/api/prompt-cards/${cardId}/test-cases`);
    assert.deepEqual(stored.items.map((c: Json) => c.name).sort(), ['Ada', 'Grace', 'Never']);
    await shot('card');
  });

  it('runs on two models with counts rising while running, survives a reload, cancels and resumes to completion', async () => {
    await page.getByRole('checkbox', { name: 'simulated:fast' }).check();
    await page.getByLabel('simulated:slow').check();
    await page.getByLabel('Concurrency').fill('1');
    await page.getByLabel('Repeat').fill('4');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\//);
    firstRunId = decodeURIComponent(/#\/runs\/([^/]+)/.exec(page.url())![1]);
    assert.equal(await page.getByTestId('total').textContent(), '24');

    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=completed]')?.textContent) >= 1,
    );
    const early = await completed();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=completed]')?.textContent) > n,
      early,
    );
    assert.equal(
      await page.getByTestId('run-status').textContent(),
      'running',
      'counts rose while the run was running',
    );
    await shot('run-live');

    // Reloading mid-run picks the live view up again from the stored results.
    const beforeReload = await completed();
    await page.reload();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=completed]')?.textContent) > n,
      beforeReload,
    );
    assert.equal(await page.getByTestId('run-status').textContent(), 'running');

    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'cancelled' }).waitFor();
    const atCancel = await completed();
    assert.ok(atCancel < 24, `cancelled at ${atCancel} of 24`);

    await page.getByRole('button', { name: 'Resume run' }).click();
    await page
      .getByTestId('run-status')
      .filter({ hasText: 'completed' })
      .waitFor({ timeout: 120_000 });
    assert.equal(await completed(), 24);
    const stored = await api(`/api/runs/${firstRunId}`);
    assert.equal(stored.progress.completed, 24);
    assert.equal(
      await page.locator('[data-testid=run-counts] .pass').textContent(),
      `${stored.progress.passed} passed`,
    );
  });

  it('opens a failed result and shows the assertion and its reason', async () => {
    await page.getByLabel('View').selectOption('list');
    await page.getByLabel('Verdict').selectOption('failed');
    const row = page.locator('.results-scroll [role=row]').first();
    await row.click();
    const assertion = page.locator('.detail .assertion-result').first();
    await assertion.waitFor();
    const text = await assertion.textContent();
    assert.match(text ?? '', /icontains/);
    assert.match(text ?? '', /fail/);
    assert.match(text ?? '', /no-such-word-anywhere/i, `reason names the expected text: ${text}`);
    await shot('run-result-detail');
  });

  it('compares with an earlier run', async () => {
    const second = await api(`/api/prompt-cards/${cardId}/runs`, {
      method: 'POST',
      body: { models: ['simulated:fast'], concurrency: 4 },
    });
    await waitForRun(second.id, (run) => run.status === 'completed');
    await page.goto(`${base}/#/cards/${encodeURIComponent(cardId)}`);
    await page.getByLabel(`Compare run ${firstRunId}`).check();
    await page.getByLabel(`Compare run ${second.id}`).check();
    await shot('card-history');
    await page.getByRole('link', { name: 'Compare the two selected runs' }).click();
    const changes = page.getByTestId('verdict-changes');
    await changes.waitFor();
    // The later run has 3 of the earlier run's 24 (test case, model, repetition) pairs.
    assert.match(
      (await changes.textContent()) ?? '',
      /0 regressed .* 3 same · 0 only later · 21 only earlier/,
    );
    await shot('compare');
  });

  it('shows only the open card’s runs when switching cards during a run', async () => {
    const other = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Other', prompt_template: 'Say {{x}}' },
    });
    await api(`/api/prompt-cards/${other.id}/test-cases`, {
      method: 'POST',
      body: { name: 'x', input_variables: { x: 'hi' } },
    });
    const running = await api(`/api/prompt-cards/${cardId}/runs`, {
      method: 'POST',
      body: { models: ['simulated:slow'], concurrency: 1, repeat: 10 },
    });
    await page.goto(`${base}/#/runs/${running.id}`);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=completed]')?.textContent) >= 1,
    );
    await page.goto(`${base}/#/cards/${other.id}`);
    await page.getByText('No runs yet.').waitFor();
    assert.equal(await page.locator(`[aria-label="Compare run ${running.id}"]`).count(), 0);

    // Bulk import on this card, all or nothing: one good row and one with broken assertions
    // JSON import nothing and name line 3; the good row alone imports.
    const good = 'imported,hello,"[{""type"":""contains"",""value"":""h""}]"\n';
    await page.getByLabel('Import CSV or JSONL').setInputFiles({
      name: 'cases.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,var:x,assertions\n${good}broken,bye,{oops\n`),
    });
    await page.getByText('Nothing imported').waitFor();
    await page.locator('.import-report li', { hasText: /^line 3: assertions/ }).waitFor();
    assert.equal((await api(`/api/prompt-cards/${other.id}/test-cases`)).total, 1);
    await page.getByLabel('Import CSV or JSONL').setInputFiles({
      name: 'cases.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,var:x,assertions\n${good}`),
    });
    await page.getByText('Imported 1 test cases.').waitFor();
    await page.getByRole('cell', { name: 'imported', exact: true }).waitFor();
    await page.goto(`${base}/#/runs/${running.id}`);
    await page.getByRole('button', { name: 'Cancel run' }).click();
    await page.getByTestId('run-status').filter({ hasText: 'cancelled' }).waitFor();
  });

  it('shows the server’s diff of prompt versions, from the older (removed) to the newer (added)', async () => {
    const card = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Versions', prompt_template: 'Hello {{name}}\nBye' },
    });
    await api(`/api/prompt-cards/${card.id}`, {
      method: 'PUT',
      body: { title: 'Versions', prompt_template: 'Hi {{name}}\nBye' },
    });
    const diffAnswer = page.waitForResponse((r) => r.url().endsWith('/versions/1/diff/2'));
    await page.goto(`${base}/#/cards/${card.id}`);
    assert.equal((await diffAnswer).status(), 200);
    const diff = page.getByLabel('Template diff');
    await diff.getByText('Bye').waitFor();
    assert.deepEqual(await diff.locator('div').allTextContents(), [
      '- Hello {{name}}',
      '+ Hi {{name}}',
      '  Bye',
    ]);
  });

  it('shows the operate page', async () => {
    await page.goto(`${base}/#/operate`);
    await page.getByRole('cell', { name: 'database', exact: true }).waitFor();
    await page.getByText('Model provider').first().waitFor();
    await shot('operate');
  });

  it('shows a sampled series on the analytics page, and the run page at 1024 px', async () => {
    await page.goto(`${base}/#/analytics`);
    await page.getByLabel('Series').waitFor();
    // The series list arrives after the select is drawn: wait for it, then read it.
    await page
      .getByLabel('Series')
      .locator('option', { hasText: /^request_rate/ })
      .first()
      .waitFor({ state: 'attached' });
    const options = await page.getByLabel('Series').locator('option').allTextContents();
    assert.ok(
      options.some((o) => o.startsWith('request_rate')),
      options.join(', '),
    );
    await page.getByLabel('Series').selectOption('heap_used_bytes');
    await page.locator('.recharts-surface').first().waitFor();
    await page.getByRole('heading', { name: /Anomalies/ }).waitFor();
    await shot('analytics');

    await page.setViewportSize({ width: 1024, height: 800 });
    await page.goto(`${base}/#/runs/${firstRunId}`);
    await page.getByTestId('run-status').filter({ hasText: 'completed' }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(overflow <= 0, `no horizontal scrolling at 1024 px (${overflow} px too wide)`);
    await shot('run-1024px');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('asks for an API key on 401, sends it as a bearer token, and hides editing after a 403', async () => {
    // This server has no access control yet: the browser's requests are answered as an
    // authenticating server would (401 without the key, 403 on a write with a read-only key)
    // and passed through to the real API otherwise.
    const tab = await browser.newPage();
    const seen: string[] = [];
    await tab.route('**/api/**', async (route) => {
      const auth = route.request().headers().authorization;
      if (auth === undefined) {
        await route.fulfill({
          status: 401,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'PCS_ERR_AUTH_REQUIRED', message: 'API key required' },
          }),
        });
        return;
      }
      seen.push(auth);
      if (route.request().method() !== 'GET') {
        await route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'PCS_ERR_FORBIDDEN', message: 'viewers may only read' },
          }),
        });
        return;
      }
      await route.continue();
    });
    await tab.goto(`${base}/#/cards/${encodeURIComponent(cardId)}`);
    await tab.getByLabel('API key').fill('viewer-key-1');
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByRole('heading', { name: 'Greeting' }).waitFor();
    assert.ok(seen.length > 0 && seen.every((h) => h === 'Bearer viewer-key-1'), seen.join(', '));
    assert.equal(await tab.evaluate(() => sessionStorage.getItem('pcs.apiKey')), 'viewer-key-1');
    await tab.getByRole('button', { name: 'Save card' }).click();
    await tab.getByText('Your API key may only read').waitFor();
    assert.equal(await tab.getByRole('button', { name: 'Start run' }).isVisible(), false);
    assert.equal(await tab.getByRole('button', { name: 'Delete card' }).isVisible(), false);
    await tab.screenshot({ path: join(SHOTS, 'read-only.png'), fullPage: true });
    await tab.close();
  });

  it('scrolls a 5,000-result run; reports the longest main-thread task', async () => {
    const card = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Bulk', prompt_template: 'Echo {{n}}' },
    });
    for (let n = 0; n < 50; n += 1) {
      await api(`/api/prompt-cards/${card.id}/test-cases`, {
        method: 'POST',
        body: {
          name: `case ${n}`,
          input_variables: { n },
          assertions: [{ type: 'icontains', value: '1' }],
        },
      });
    }
    const run = await api(`/api/prompt-cards/${card.id}/runs`, {
      method: 'POST',
      body: { models: ['simulated:fast'], concurrency: 64, repeat: 100 },
    });
    await waitForRun(run.id, (r) => r.status === 'completed', 300_000);

    const tab = await browser.newPage();
    await tab.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await tab.goto(`${base}/#/runs/${run.id}?view=list`);
    await tab.waitForFunction(
      () => document.querySelector('[data-testid=completed]')?.textContent === '5000',
    );
    // The list reads a page at a time; every page, then scroll through all of them.
    await tab.getByRole('button', { name: 'Load all' }).click();
    await tab.waitForFunction(
      () => document.querySelector('#results-heading')?.textContent === 'Results (5000 of 5000)',
    );
    const loadTasks = await tab.evaluate(() =>
      (window as unknown as { longTasks: number[] }).longTasks.splice(0),
    );
    for (let step = 0; step < 60; step += 1) {
      await tab.evaluate(() => {
        const scroller = document.querySelector('[data-testid=results-scroll]')!;
        scroller.scrollTop += 1600;
      });
      await tab.waitForTimeout(16);
    }
    await tab.evaluate(() => {
      const scroller = document.querySelector('[data-testid=results-scroll]')!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await tab.locator('[aria-rowindex="5001"]').waitFor();
    const domRows = await tab.locator('.results-scroll [role=row]').count();
    assert.ok(domRows < 100, `only the rows in view are rendered (${domRows})`);
    const scrollTasks = await tab.evaluate(
      () => (window as unknown as { longTasks: number[] }).longTasks,
    );
    const report = {
      results: 5000,
      rows_in_dom: domRows,
      longest_task_ms_while_loading: Math.max(0, ...loadTasks),
      long_tasks_while_loading: loadTasks.length,
      longest_task_ms_while_scrolling: Math.max(0, ...scrollTasks),
      long_tasks_while_scrolling: scrollTasks.length,
      // Long tasks are wall time: on a shared machine the load says how much of it was waiting.
      load_average_1m: Number(loadavg()[0].toFixed(1)),
      cores: cpus().length,
    };
    console.log(`5,000-result run: ${JSON.stringify(report)}`);
    writeFileSync(join(SHOTS, 'long-tasks.json'), JSON.stringify(report, null, 2));
    await tab.screenshot({ path: join(SHOTS, 'run-5000.png') });
    await tab.close();
  });
});
