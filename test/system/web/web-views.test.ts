/// <reference lib="dom" />
// The functions passed to page.evaluate run in the browser: they need the DOM types.
/**
 * The product views in real headless Chromium (Debian `chromium`, playwright-core): the home's
 * card status, the prompt × model matrix with the Different filter, rating a result and the
 * judge agreement figure (UI, API and Prometheus gauge), URL state surviving a reload, the
 * atomic import of a 400-row CSV (and a bad file changing nothing), the model picker, the
 * compare view's words, runbook links, the favicon — and every page at 1280 and 390 px with no
 * horizontal page scroll and no critical or serious axe-core violation. Screenshots of each page
 * at both widths go to UI_SCREENSHOT_DIR. Without Chromium the suite skips, and fails under
 * REQUIRE_SYSTEM=1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startMain } from '../../support/main-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { CHROMIUM, chromiumMissing, freePort } from './page-checks.js';

const SHOTS = resolve(process.env.UI_SCREENSHOT_DIR ?? 'test-results/ui-screenshots');
// axe-core's browser build, injected into each page (the package's own entry is that file).
const AXE = require.resolve('axe-core/axe.min.js');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const skip = chromiumMissing();

describe('web UI views in Chromium', { skip, timeout: 600_000 }, () => {
  let base = '';
  let browser: BrowserContext;
  let page: Page;
  let main: ReturnType<typeof startMain>;
  const dir = tempDir('pcs-web-views-');

  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return response.status === 204 ? undefined : await response.json();
  };
  const waitForRun = async (id: string) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await api(`/api/runs/${id}`);
      if (run.status === 'completed') return run;
      if (Date.now() > deadline) throw new Error(`run ${id} stayed ${run.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const runOf = async (cardId: string, models: string[]): Promise<string> => {
    const run = await api(`/api/prompt-cards/${cardId}/runs`, {
      method: 'POST',
      body: { models, concurrency: 4 },
    });
    await waitForRun(run.id);
    return run.id as string;
  };

  let cardId = '';
  let importCardId = '';
  let firstRunId = '';
  let runId = '';

  before(async () => {
    execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    main = startMain({
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir.path, 'db.sqlite')}`,
      SEED_SAMPLES: 'false',
      LOG_LEVEL: 'info',
      // fast answers in 100 ms, slow in 500 ms: a latency assertion of 300 ms passes on one
      // model and fails on the other (the matrix's Different rows).
      SIMULATED_LATENCY_MS: '100',
      SIMULATED_LATENCY_JITTER: '0',
      SIMULATED_FAILURE_RATE: '0',
      OLLAMA_BASE_URL: 'http://127.0.0.1:9',
      ENABLE_ADVANCED_ANALYTICS: 'true',
      ANALYTICS_SAMPLE_INTERVAL_SECONDS: '1',
      RATE_LIMIT_WRITES: '0',
      // The 10,000-result run of the last test, at 100 ms an answer.
      RUN_MAX_CONCURRENCY: '256',
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
    browser.setDefaultTimeout(90_000);
    page.on('dialog', (dialog) => void dialog.accept());

    const card = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Matrix', prompt_template: 'Say {{word}}', pass_rate_threshold: 0.9 },
    });
    cardId = card.id;
    for (const [name, assertion] of [
      ['short', { type: 'length', value: { min: 1 } }],
      ['quick', { type: 'latency', value: 300 }],
      ['plain', { type: 'length', value: { min: 1 } }],
    ] as const) {
      await api(`/api/prompt-cards/${cardId}/test-cases`, {
        method: 'POST',
        body: { name, input_variables: { word: name }, assertions: [assertion] },
      });
    }
    firstRunId = await runOf(cardId, ['simulated:fast']);
    runId = await runOf(cardId, ['simulated:fast', 'simulated:slow']);
    const importCard = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Import', prompt_template: 'Greet {{name}} from {{city}}' },
    });
    importCardId = importCard.id;
  });

  after(async () => {
    await browser?.close();
    main?.child.kill('SIGTERM');
    await main?.exited;
    dir.remove();
  });

  it('shows the matrix of two models and keeps only the Different row, in the URL', async () => {
    await page.goto(`${base}/#/runs/${runId}`);
    const matrix = page.getByTestId('matrix');
    await matrix.waitFor();
    const headers = await matrix.getByRole('columnheader').allTextContents();
    assert.deepEqual(headers, ['Test case', 'simulated:fast', 'simulated:slow']);
    await page.getByTestId('matrix-row').nth(2).waitFor();
    assert.equal(await page.getByTestId('matrix-row').count(), 3);

    await page.getByRole('radio', { name: 'Different' }).check();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=matrix-row]').length === 1,
    );
    const row = page.getByTestId('matrix-row');
    assert.match((await row.textContent()) ?? '', /quick/);
    assert.match(page.url(), /show=different/);
  });

  it('keeps the filter and the selected result across a reload (a shareable URL)', async () => {
    await page.getByRole('button', { name: /quick on simulated:slow: failed/ }).click();
    await page.getByRole('heading', { name: /quick · simulated:slow/ }).waitFor();
    assert.match(page.url(), /result=/);
    const shared = page.url();
    await page.reload();
    await page.getByRole('heading', { name: /quick · simulated:slow/ }).waitFor();
    assert.equal(await page.getByRole('radio', { name: 'Different' }).isChecked(), true);
    assert.equal(await page.getByTestId('matrix-row').count(), 1);
    assert.equal(page.url(), shared);
    await page.screenshot({ path: join(SHOTS, 'matrix-1280.png'), fullPage: true });
  });

  it('rates a result and the agreement figure, the API and the gauge follow', async () => {
    // The failed answer rated good: the judge disagrees.
    await page.getByLabel('Comment').fill('fast enough for me');
    await page.getByRole('button', { name: /Good answer/ }).click();
    await page.getByTestId('judge-agrees').filter({ hasText: 'disagrees' }).waitFor();
    await page.getByTestId('agreement-simulated:slow').filter({ hasText: '0.0 %' }).waitFor();
    // Changing one's mind: rated bad, the judge agrees.
    await page.getByRole('button', { name: /Bad answer/ }).click();
    await page.getByTestId('judge-agrees').filter({ hasText: 'agrees with you' }).waitFor();
    await page.getByTestId('agreement-simulated:slow').filter({ hasText: '100.0 %' }).waitFor();

    const agreement = await api(`/api/prompt-cards/${cardId}/agreement`);
    assert.deepEqual(
      agreement.items.map((a: Json) => [a.model, a.ratings, a.agreement_ratio]),
      [['simulated:slow', 1, 1]],
    );
    const ratings = await api(`/api/runs/${runId}/ratings`);
    assert.equal(ratings.items[0].comment, 'fast enough for me');
    const metrics = await (await fetch(`${base}/api/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(
        `prompt_judge_human_agreement_ratio\\{card="${cardId}",model="simulated:slow"\\} 1`,
      ),
    );
    // The Rated filter keeps the rated row.
    await page.getByRole('radio', { name: 'Rated' }).check();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=matrix-row]').length === 1,
    );
  });

  it('puts another run beside this one', async () => {
    await page.goto(`${base}/#/runs/${runId}?against=${firstRunId}`);
    await page.getByTestId('matrix').waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=matrix] [role=columnheader]').length === 4,
    );
    const headers = await page.getByTestId('matrix').getByRole('columnheader').allTextContents();
    assert.deepEqual(headers, [
      'Test case',
      'earlier (v1) · simulated:fast',
      'this run (v1) · simulated:fast',
      'this run (v1) · simulated:slow',
    ]);
  });

  it('answers "is my prompt OK?" on the home page', async () => {
    await page.goto(`${base}/#/`);
    const matrixCard = page.getByTestId('card-status').filter({ hasText: 'Matrix' });
    await matrixCard.getByTestId('pass-rate').nth(1).waitFor();
    const rates = await matrixCard.getByTestId('pass-rate').allTextContents();
    assert.deepEqual(rates, ['100.0 %', '66.7 %']);
    // Under its 90 % threshold, the card comes before the never-run one.
    const titles = await page.locator('.card-status-title > a').allTextContents();
    assert.deepEqual(titles, ['Matrix', 'Import']);
    await matrixCard.getByRole('img', { name: /Pass rate over the last 2 runs/ }).waitFor();
  });

  it('imports a 400-row CSV in one request; a bad file changes nothing and names its line', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `case ${i},Ada ${i},London,`);
    await page.goto(`${base}/#/cards/${importCardId}`);
    const input = page.getByLabel('Import CSV or JSONL');
    await input.setInputFiles({
      name: 'cases.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,var:name,city,assertions\n${rows.join('\n')}\n`),
    });
    await page.getByText('Imported 400 test cases.').waitFor();
    assert.equal((await api(`/api/prompt-cards/${importCardId}/test-cases?limit=1`)).total, 400);

    // Line 250 (the header is line 1) has assertions that are not JSON.
    const bad = rows.map((r, i) => (i === 248 ? `bad ${i},Ada,London,{oops` : r));
    await input.setInputFiles({
      name: 'cases.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,var:name,city,assertions\n${bad.join('\n')}\n`),
    });
    await page.getByText('Nothing imported').waitFor();
    await page.locator('.import-report li', { hasText: /^line 250: assertions/ }).waitFor();
    assert.equal((await api(`/api/prompt-cards/${importCardId}/test-cases?limit=1`)).total, 400);
  });

  it('offers no helper model to run, links the API reference, serves the favicon', async () => {
    await page.goto(`${base}/#/cards/${cardId}`);
    // By role: the run charts' legend icons are labelled with the model's name too.
    await page.getByRole('checkbox', { name: 'simulated:fast' }).waitFor();
    const offered = await page.locator('fieldset.models label').allTextContents();
    assert.ok(!offered.some((m) => /grader|embed/.test(m)), offered.join(', '));
    assert.equal(
      await page.getByRole('link', { name: 'API reference' }).getAttribute('href'),
      '/api/docs',
    );
    const icon = await fetch(`${base}/favicon.ico`);
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get('content-type') ?? '', /image\/svg\+xml/);
  });

  it('compares in words: the verdict, a signed difference, the p-value; no raw JSON', async () => {
    await page.goto(`${base}/#/compare/${firstRunId}/${runId}`);
    const comparison = page.getByTestId('server-comparison');
    // simulated:fast ran in both runs; simulated:slow only in the later one (0 pairs).
    const fast = comparison.getByRole('row').filter({ hasText: /^simulated:fast/ });
    await fast.getByTestId('p-value').waitFor();
    assert.match(
      (await fast.getByTestId('p-value').textContent()) ?? '',
      /McNemar exact test over 3 paired cases: p = 1\.000 \(not significant at α = 0\.05\)/,
    );
    assert.match((await fast.getByTestId('pass-rate-delta').textContent()) ?? '', /^±0\.0 pts$/);
    assert.match((await comparison.textContent()) ?? '', /Server verdict: no significant change/);
    assert.doesNotMatch((await comparison.textContent()) ?? '', /broken|"p_value"|no_significant/);
  });

  it('links a firing alert to its runbook, which the service serves', async () => {
    const now = new Date().toISOString();
    await api('/api/alerts/webhook', {
      method: 'POST',
      body: {
        version: '4',
        groupKey: 'g',
        status: 'firing',
        receiver: 'app',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'HighErrorRate', severity: 'warning' },
            annotations: {
              summary: 'errors',
              description: 'errors',
              runbook_url: 'docs/runbooks/HighErrorRate.md',
            },
            startsAt: now,
            fingerprint: 'f1',
          },
        ],
      },
    });
    await page.goto(`${base}/#/operate`);
    const link = page.getByRole('link', { name: 'runbook' }).first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    assert.equal(href, '/docs/runbooks/HighErrorRate.md');
    const runbook = await fetch(`${base}${href}`);
    assert.equal(runbook.status, 200);
    assert.match(await runbook.text(), /HighErrorRate/);
  });

  it('fits 1280 and 390 px and passes axe-core on every page', async () => {
    const pages: [string, string, string][] = [
      ['home', '#/', '[data-testid=card-status]'],
      ['card', `#/cards/${cardId}`, 'fieldset.models'],
      ['run-matrix', `#/runs/${runId}`, '[data-testid=matrix-row]'],
      ['run-list', `#/runs/${runId}?view=list`, '[data-testid=results-scroll] [role=row]'],
      [
        'run-result',
        `#/runs/${runId}?view=list&result=${(await api(`/api/runs/${runId}/results?limit=1`)).items[0].id}`,
        '.detail',
      ],
      ['compare', `#/compare/${firstRunId}/${runId}`, '[data-testid=server-comparison]'],
      ['operate', '#/operate', '.health-table td'],
      ['analytics', '#/analytics', 'select'],
    ];
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, hash, ready] of pages) {
        await page.goto(`${base}/${hash}`);
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        if (overflow > 0) problems.push(`${name} at ${width} px: ${overflow} px too wide`);
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (c: Document) => Promise<Json> } }).axe;
          const result = await axe.run(document);
          return (result.violations as Json[])
            .filter((v) => v.impact === 'critical' || v.impact === 'serious')
            .map(
              (v) => `${v.id} (${v.impact}): ${v.nodes.length} nodes, e.g. ${v.nodes[0]?.target}`,
            );
        });
        for (const v of violations) problems.push(`${name} at ${width} px: axe ${v}`);
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(problems, []);
  });

  it('draws a 10,000-result run from its first page, reads more on scroll, filters, passes axe', async () => {
    const card = await api('/api/prompt-cards', {
      method: 'POST',
      body: { title: 'Scale', prompt_template: 'Echo {{n}}' },
    });
    const rows = Array.from({ length: 10_000 }, (_, n) => ({
      name: `case ${n}`,
      input_variables: { n: String(n) },
      assertions: [{ type: 'icontains', value: '1' }],
    }));
    const imported = await api(`/api/prompt-cards/${card.id}/test-cases/import`, {
      method: 'POST',
      body: rows,
    });
    assert.equal(imported.imported, 10_000);
    const run = await api(`/api/prompt-cards/${card.id}/runs`, {
      method: 'POST',
      body: { models: ['simulated:fast'], concurrency: 256 },
    });
    await waitForRun(run.id);
    // A first page of 100 (a screenful and more), then pages of 500.
    const totalPages = 1 + Math.ceil((10_000 - 100) / 500);

    const tab = await browser.newPage();
    const pagesAsked: string[] = [];
    tab.on('request', (request) => {
      if (request.url().includes(`/api/runs/${run.id}/results?`))
        pagesAsked.push(`${new Date().toISOString()} ${request.url()}`);
    });
    const answered: string[] = [];
    tab.on('response', (response) => {
      if (response.url().includes(`/api/runs/${run.id}/results?`))
        answered.push(`${new Date().toISOString()} ${response.status()}`);
    });
    const loadedCount = async () =>
      Number(
        /Loaded (\d+) of 10000/.exec(
          (await tab.getByTestId('loaded-count').textContent()) ?? '',
        )?.[1],
      );
    await tab.goto(`${base}/#/runs/${run.id}`);
    await tab.locator('[data-testid=matrix-row]').first().waitFor();
    const askedAtFirstRow = pagesAsked.length;
    assert.ok(
      askedAtFirstRow < totalPages,
      `first row drawn after ${askedAtFirstRow} of ${totalPages} result pages were asked for`,
    );
    await tab
      .getByTestId('loaded-count')
      .filter({ hasText: /Loaded 100 of 10000 results/ })
      .waitFor();
    // Nothing more is read while the reader stays at the top.
    await tab.waitForTimeout(500);
    assert.equal(await loadedCount(), 100);
    assert.equal(pagesAsked.length, 1, `${pagesAsked.join(' ')} answered ${answered.join(' ')}`);
    assert.ok(
      pagesAsked.every((url, i) => i === 0 || url.includes('after=')),
      pagesAsked.join(' '),
    );

    // Scrolling to the end of the rows held reads the next page, and the next.
    for (let page = 1; page <= 2; page += 1) {
      await tab.evaluate(() => {
        const scroller = document.querySelector('.matrix-scroll')!;
        scroller.scrollTop = scroller.scrollHeight;
      });
      await tab.waitForFunction(
        (n) =>
          new RegExp(`Loaded ${n} of 10000`).test(
            document.querySelector('[data-testid=loaded-count]')?.textContent ?? '',
          ),
        100 + 500 * page,
      );
    }
    assert.ok(pagesAsked.length < totalPages, `${pagesAsked.length} pages asked after two scrolls`);
    const domRows = await tab.locator('[data-testid=matrix-row]').count();
    assert.ok(domRows < 60, `only the rows in view are drawn (${domRows})`);
    assert.match(
      (await tab.locator('#results-heading').textContent()) ?? '',
      /Matrix \(1100 of 1100 test cases loaded\)/,
    );

    // A filter works over the rows loaded, and says so.
    await tab.getByRole('radio', { name: 'Failures' }).check();
    await tab.waitForFunction(
      () =>
        /Matrix \(\d+ of \d+ test cases loaded\)/.test(
          document.querySelector('#results-heading')?.textContent ?? '',
        ) &&
        !/Matrix \((\d+) of \1 /.test(
          document.querySelector('#results-heading')?.textContent ?? '',
        ),
    );
    const verdicts = await tab
      .locator('[data-testid=matrix-row] .matrix-verdict')
      .allTextContents();
    assert.ok(verdicts.length > 0);
    assert.ok(
      verdicts.every((v) => v.startsWith('failed')),
      verdicts.join(' | '),
    );
    assert.match(tab.url(), /show=failures/);
    await tab.getByRole('searchbox', { name: 'Text' }).fill('case 12');
    await tab.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid=matrix-row] .matrix-case strong')].every((e) =>
        (e.textContent ?? '').includes('case 12'),
      ),
    );

    // No critical or serious axe violation with the list part loaded, at both widths.
    const problems: string[] = [];
    for (const width of [1280, 390]) {
      await tab.setViewportSize({ width, height: 900 });
      await tab.addScriptTag({ path: AXE });
      const found = await tab.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Document) => Promise<Json> } }).axe;
        const result = await axe.run(document);
        return (result.violations as Json[])
          .filter((v) => v.impact === 'critical' || v.impact === 'serious')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes[0]?.target}`);
      });
      problems.push(...found.map((v) => `${width} px: ${v}`));
      const overflow = await tab.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      if (overflow > 0) problems.push(`${width} px: ${overflow} px too wide`);
      await tab.screenshot({ path: join(SHOTS, `matrix-10000-partial-${width}.png`) });
    }
    assert.deepEqual(problems, []);
    await tab.setViewportSize({ width: 1280, height: 900 });

    // Load all: every page, then the foot goes and the counts are the run's.
    await tab.getByRole('searchbox', { name: 'Text' }).fill('');
    await tab.getByRole('radio', { name: 'All' }).check();
    await tab.getByRole('button', { name: 'Load all' }).click();
    await tab.waitForFunction(
      () =>
        document.querySelector('#results-heading')?.textContent ===
        'Matrix (10000 of 10000 test cases)',
      undefined,
      { timeout: 300_000 },
    );
    assert.equal(await tab.getByTestId('load-more').count(), 0);
    assert.equal(pagesAsked.length, totalPages, pagesAsked.slice(-2).join(' '));
    await tab.close();
  });
});
