/**
 * Size of `eval -o report.html` on a 1,000-test suite (2 prompts × 2 simulated models (fast, slow), one
 * `contains` assertion each, a third of them failing), beside the `.json` report of the same
 * run: bytes, bytes per result, and the HTML/JSON ratio. Run: `npx tsx bench/html-report-size.ts`.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalCommand } from '../src/cli/eval-command.js';

const TESTS = 1_000;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pcs-bench-html-'));
  try {
    const tests = Array.from({ length: TESTS }, (_, i) =>
      [
        `  - description: test ${i}`,
        `    vars: { topic: 'topic number ${i}' }`,
        `    assert: [{ type: ${i % 3 === 0 ? 'contains' : 'regex'}, value: '${i % 3 === 0 ? 'zzz-missing' : '.'}' }]`,
      ].join('\n'),
    );
    const config = join(dir, 'suite.yaml');
    writeFileSync(
      config,
      [
        'description: HTML size',
        'prompts:',
        "  - 'Write two sentences about {{topic}}.'",
        "  - 'Explain {{topic}} to a child.'",
        'providers: [simulated:fast, simulated:slow]',
        'tests:',
        ...tests,
        '',
      ].join('\n'),
    );
    process.env.SIMULATED_LATENCY_MS = '0';
    process.env.SIMULATED_FAILURE_RATE = '0';
    const html = join(dir, 'report.html');
    const json = join(dir, 'report.json');
    const { report } = await evalCommand({
      config,
      concurrency: 50,
      output: [html, json],
      log: () => undefined,
    });
    const results = report.rows.length;
    const htmlBytes = statSync(html).size;
    const jsonBytes = statSync(json).size;
    console.log(
      JSON.stringify({
        tests: TESTS,
        results,
        verdicts: Object.fromEntries(
          ['pass', 'fail', 'error'].map((v) => [
            v,
            report.rows.filter((r) => r.verdict === v).length,
          ]),
        ),
        html_bytes: htmlBytes,
        html_bytes_per_result: Math.round(htmlBytes / results),
        json_bytes: jsonBytes,
        html_to_json: Number((htmlBytes / jsonBytes).toFixed(3)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
