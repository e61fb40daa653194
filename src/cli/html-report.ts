/**
 * The `-o report.html` page of an evaluation: one self-contained HTML document, as promptfoo's
 * viewer shows an eval. A summary per prompt × model (pass, fail, error and not-evaluated
 * counts, pass rate, total cost in USD, mean latency in ms), the models against the threshold,
 * then a matrix: one row per test (and repetition), one column per prompt × model, each cell
 * its verdict, score, output and the reasons of its failed assertions.
 *
 * - Nothing is fetched: the style is inline, there is no script, and a Content-Security-Policy
 *   of `default-src 'none'` forbids any load even if an output slipped through.
 * - Every text of the report (outputs, reasons, names) is untrusted and HTML-escaped.
 * - "Only failing rows" is a checkbox styled by CSS (`:checked ~`), so it works with scripts off.
 * - Outputs longer than OUTPUT_CHARS are cut in the page (the `.json` report has them whole).
 * The page shows only the report: provider configuration (keys) is not part of it.
 */
import type { EvalReport, ReportRow, Verdict } from './eval-report.js';

/** Characters of an output shown in a cell; the rest is cut with a note. */
export const OUTPUT_CHARS = 2_000;

/** Text as HTML content or attribute value: `& < > " '` escaped, so no tag or quote survives. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f3f3f3}td.num{text-align:right}.pass{background:#e7f6e7}.fail{background:#fde8e8}.error{background:#fff1d6}.not_evaluated{background:#eee}
.v{font-weight:600}pre{white-space:pre-wrap;word-break:break-word;max-width:48em;margin:.3em 0;font-size:12px}
ul{margin:.2em 0;padding-left:1.2em}#failing:checked~table tr.ok{display:none}.cut{color:#666;font-style:italic}`;

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

interface Group {
  readonly prompt: string;
  readonly model: string;
  readonly rows: ReportRow[];
}

function groupsOf(rows: readonly ReportRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const id = JSON.stringify([row.prompt, row.model]);
    const group = groups.get(id) ?? { prompt: row.prompt, model: row.model, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  return [...groups.values()];
}

function summaryRow(group: Group): string {
  const count = (v: Verdict) => group.rows.filter((r) => r.verdict === v).length;
  const evaluated = group.rows.length - count('not_evaluated');
  const costs = group.rows.flatMap((r) => (r.cost_usd === null ? [] : [r.cost_usd]));
  const cost = costs.length === 0 ? 'n/a' : `$${costs.reduce((s, c) => s + c, 0).toFixed(4)}`;
  const latency = group.rows.reduce((s, r) => s + r.latency_ms, 0) / (group.rows.length || 1);
  const cells = [
    count('pass'),
    count('fail'),
    count('error'),
    count('not_evaluated'),
    pct(evaluated === 0 ? null : count('pass') / evaluated),
    cost,
    `${Math.round(latency)} ms`,
  ];
  return `<tr><td>${escapeHtml(group.prompt)}</td><td>${escapeHtml(group.model)}</td>${cells.map((c) => `<td class="num">${escapeHtml(String(c))}</td>`).join('')}</tr>`;
}

function cell(row: ReportRow | undefined): string {
  if (row === undefined) return '<td></td>';
  const output = row.output ?? '';
  const shown =
    output.length <= OUTPUT_CHARS
      ? escapeHtml(output)
      : `${escapeHtml(output.slice(0, OUTPUT_CHARS))}<span class="cut"> … ${output.length - OUTPUT_CHARS} more characters (whole in the .json report)</span>`;
  const reasons = row.assertions
    .filter((a) => !a.pass)
    .map((a) => `<li>${escapeHtml(`${a.type}: ${a.reason}`)}</li>`);
  if (row.error !== null) reasons.unshift(`<li>${escapeHtml(row.error)}</li>`);
  for (const s of row.not_evaluated)
    reasons.push(`<li>not evaluated: ${escapeHtml(`${s.type} (${s.reason})`)}</li>`);
  return `<td class="${row.verdict}"><span class="v">${row.verdict.toUpperCase().replace('_', ' ')}</span> ${row.score.toFixed(2)}${reasons.length === 0 ? '' : `<ul>${reasons.join('')}</ul>`}${output === '' ? '' : `<pre>${shown}</pre>`}</td>`;
}

function matrix(rows: readonly ReportRow[], groups: readonly Group[]): string {
  const byTest = new Map<string, { name: string; cells: Map<string, ReportRow> }>();
  for (const row of rows) {
    const id = JSON.stringify([row.test_key, row.repetition]);
    const name = row.repetition > 1 ? `${row.test} #${row.repetition}` : row.test;
    const entry = byTest.get(id) ?? { name, cells: new Map<string, ReportRow>() };
    entry.cells.set(JSON.stringify([row.prompt, row.model]), row);
    byTest.set(id, entry);
  }
  const head = groups
    .map((g) => `<th>${escapeHtml(g.prompt)}<br><small>${escapeHtml(g.model)}</small></th>`)
    .join('');
  const body = [...byTest.values()].map(({ name, cells }) => {
    const all = [...cells.values()];
    const ok = all.every((r) => r.verdict === 'pass' || r.verdict === 'not_evaluated');
    const tds = groups.map((g) => cell(cells.get(JSON.stringify([g.prompt, g.model]))));
    return `<tr${ok ? ' class="ok"' : ''}><th>${escapeHtml(name)}</th>${tds.join('')}</tr>`;
  });
  return `<table><thead><tr><th>test</th>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`;
}

/** The report as one self-contained HTML page (UTF-8). */
export function toHtml(report: EvalReport): string {
  const title = report.description === '' ? 'prompt-cards eval' : report.description;
  const groups = groupsOf(report.rows);
  const models = report.models
    .map(
      (m) =>
        `<tr class="${m.ok ? 'pass' : 'fail'}"><td>${m.ok ? 'PASS' : 'FAIL'}</td><td>${escapeHtml(m.model)}</td><td class="num">${m.passed}/${m.results - m.not_evaluated}</td><td class="num">${pct(m.pass_rate)}</td></tr>`,
    )
    .join('\n');
  const failing = report.rows.filter((r) => r.verdict === 'fail' || r.verdict === 'error').length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${report.ok ? 'PASS' : 'FAIL'}: threshold ${pct(report.threshold)} per model; ${report.rows.length} results, ${failing} failing or errored.</p>
<h2>Models</h2>
<table><thead><tr><th>verdict</th><th>model</th><th>passed</th><th>pass rate</th></tr></thead><tbody>
${models}
</tbody></table>
<h2>Prompts × models</h2>
<table><thead><tr><th>prompt</th><th>model</th><th>pass</th><th>fail</th><th>error</th><th>not evaluated</th><th>pass rate</th><th>cost</th><th>mean latency</th></tr></thead><tbody>
${groups.map(summaryRow).join('\n')}
</tbody></table>
<h2>Results</h2>
<input type="checkbox" id="failing"><label for="failing"> only rows with a failure or error</label>
${matrix(report.rows, groups)}
</body></html>
`;
}
