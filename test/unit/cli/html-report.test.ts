/**
 * The HTML report page: outputs are untrusted text (a `<script>` or `</style>` in one stays
 * text), nothing is loaded from the network, the matrix has a cell per test × prompt × model
 * with its verdict and failing reasons, and the failing-rows filter works without scripts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EvalReport, ReportRow } from '../../../src/cli/eval-report.js';
import { escapeHtml, OUTPUT_CHARS, toHtml } from '../../../src/cli/html-report.js';

function row(over: Partial<ReportRow>): ReportRow {
  return {
    prompt: 'p1',
    test_key: 't',
    test: 't',
    model: 'simulated:fast',
    repetition: 1,
    verdict: 'pass',
    score: 1,
    latency_ms: 10,
    cost_usd: 0.001,
    output: 'fine',
    error: null,
    assertions: [],
    not_evaluated: [],
    run_id: 'r',
    ...over,
  };
}

const HOSTILE = '</style><script>alert("x")</script><img src=http://evil.example/x.png>';

function report(rows: ReportRow[]): EvalReport {
  return {
    description: 'Suite <b>bold</b>',
    threshold: 1,
    models: [
      {
        model: 'simulated:fast',
        results: rows.length,
        passed: rows.filter((r) => r.verdict === 'pass').length,
        failed: rows.filter((r) => r.verdict === 'fail').length,
        errored: rows.filter((r) => r.verdict === 'error').length,
        not_evaluated: 0,
        pass_rate: 0.5,
        ok: false,
      },
    ],
    named_scores: [],
    derived_metrics: [],
    rows,
    ok: false,
  };
}

describe('HTML report', () => {
  const rows = [
    row({ test_key: 'a', test: 'alpha', output: HOSTILE }),
    row({
      test_key: 'b',
      test: 'beta',
      verdict: 'fail',
      score: 0,
      output: 'nope',
      assertions: [
        { type: 'contains', pass: false, score: 0, weight: 1, reason: 'missing "<zzz>"' },
      ],
    }),
    row({ test_key: 'b', test: 'beta', prompt: 'p2', verdict: 'error', error: 'timeout: slow' }),
    row({ test_key: 'c', test: 'long', output: 'x'.repeat(OUTPUT_CHARS + 50) }),
  ];
  const html = toHtml(report(rows));

  it('keeps untrusted outputs as text: no tag of an output survives', () => {
    assert.ok(!html.includes('<script'), 'a script element');
    assert.equal(html.match(/<\/style>/g)?.length, 1, 'only the page’s own </style>');
    assert.ok(!html.includes('<img'), 'an image element');
    assert.ok(html.includes('&lt;/style&gt;&lt;script&gt;alert(&quot;x&quot;)'));
    assert.ok(html.includes('Suite &lt;b&gt;bold&lt;/b&gt;'));
    assert.equal(escapeHtml(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('loads nothing: no src, href or url() to fetch, and a CSP forbidding loads', () => {
    // A tag with a source (the escaped text of an output may say `src=`, as text).
    assert.doesNotMatch(html, /<[a-z][^<>]*\s(src|href|action)=|url\(|@import/i);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  });

  it('shows a matrix of tests × (prompt, model) with verdicts and failing reasons', () => {
    assert.match(html, /<th>p1<br><small>simulated:fast<\/small><\/th><th>p2<br>/);
    const beta = html.split('\n').find((l) => l.startsWith('<tr><th>beta</th>')) ?? '';
    assert.match(
      beta,
      /class="fail"><span class="v">FAIL<\/span> 0\.00<ul><li>contains: missing &quot;&lt;zzz&gt;&quot;/,
    );
    assert.match(beta, /class="error"><span class="v">ERROR<\/span>.*timeout: slow/);
    assert.match(html, /<tr class="ok"><th>alpha<\/th>/);
    assert.match(
      html,
      /<td>p1<\/td><td>simulated:fast<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">0<\/td><td class="num">66\.7%<\/td><td class="num">\$0\.0030<\/td>/,
    );
  });

  it('filters failing rows with CSS alone and cuts long outputs', () => {
    assert.match(html, /<input type="checkbox" id="failing">/);
    assert.match(html, /#failing:checked~table tr\.ok\{display:none\}/);
    assert.ok(!html.includes('x'.repeat(OUTPUT_CHARS + 1)));
    assert.match(html, / … 50 more characters/);
  });
});
