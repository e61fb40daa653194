/**
 * `prompt-cards eval -o report.html` end to end, against a loopback OpenAI-wire server: the page
 * is written (into a missing folder), echoed outputs carrying `<script>` and `</style>` stay
 * text, and the API key written in the provider's config never appears in it, not even when
 * the provider echoes it in an error (as OpenAI's 401 does).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliProcess as cli } from '../../support/cli-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

// Not shaped like a known credential: only the configured-secret redaction can catch it.
const KEY = 'htmlkey5b4a39281706f5e4d3c2';

describe('prompt-cards eval -o report.html', () => {
  let wire: WireServer;
  const dir = tempDir('pcs-cli-html-');
  before(async () => {
    wire = await startWireServer('openai');
  });
  after(async () => {
    await wire.close();
    dir.remove();
  });

  it('writes one self-contained page with escaped outputs and no key', async () => {
    writeFileSync(
      join(dir.path, 'suite.yaml'),
      [
        'description: HTML page',
        'prompts:',
        "  - 'Say {{word}}'",
        'providers:',
        '  - id: openai:chat:gpt-4o-mini',
        '    config:',
        `      apiBaseUrl: ${wire.url}`,
        `      apiKey: ${KEY}`,
        'tests:',
        // The first call of a hostile test (whichever it is) gets the 401 echoing the key.
        '  - description: hostile a',
        '    vars: { word: "</style><script>alert(1)</script>" }',
        '    assert: [{ type: contains, value: alert }]',
        '  - description: hostile b',
        '    vars: { word: "</style><script>alert(1)</script>" }',
        '    assert: [{ type: contains, value: alert }]',
        '  - description: failing',
        '    vars: { word: three }',
        '    assert: [{ type: contains, value: zzz-not-there }]',
        '',
      ].join('\n'),
    );
    wire.faults.length = 0;
    wire.faults.push({
      kind: 'status',
      status: 401,
      match: 'alert(1)',
      body: JSON.stringify({
        error: { message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' },
      }),
    });
    const out = await cli(
      ['eval', '-c', 'suite.yaml', '-j', '1', '-o', 'out/deep/report.html'],
      dir.path,
      { PROVIDER_MAX_RETRIES: '0' },
    );
    assert.equal(out.code, 1, out.stderr);
    const html = readFileSync(join(dir.path, 'out/deep/report.html'), 'utf8');
    assert.equal(html.includes(KEY), false, 'the key is in the page');
    assert.equal(`${out.stdout}${out.stderr}`.includes(KEY), false, 'the key is on the console');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal(html.includes('<script'), false);
    assert.equal(html.match(/<\/style>/g)?.length, 1);
    assert.match(html, /echo: Say &lt;\/style&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const cells = html.match(/<td class="(pass|fail|error|not_evaluated)">/g) ?? [];
    assert.equal(cells.length, 3);
    assert.equal(cells.filter((c) => c === '<td class="error">').length, 1, html);
    assert.match(html, /auth: HTTP 401: Incorrect API key provided: \[redacted\]/);
    assert.match(html, /<tr class="ok"><th>hostile [ab]<\/th><td class="pass">/);
    assert.match(html, /<th>failing<\/th><td class="fail">.*contains: /);
  });
});

describe("a suite's outputPath", () => {
  const dir = tempDir('pcs-cli-outpath-');
  after(() => dir.remove());

  it('writes the HTML page for .html and refuses an unknown extension before any call', async () => {
    const suite = (output: string) =>
      [
        `outputPath: ${output}`,
        "prompts: ['Say {{w}}']",
        'providers: [simulated:fast]',
        'tests: [{vars: {w: a}, assert: [{type: regex, value: "."}]}]',
        '',
      ].join('\n');
    writeFileSync(join(dir.path, 'html.yaml'), suite('pages/out.html'));
    const ok = await cli(['eval', '-c', 'html.yaml'], dir.path, { SIMULATED_FAILURE_RATE: '0' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(readFileSync(join(dir.path, 'pages/out.html'), 'utf8'), /^<!DOCTYPE html>/);
    writeFileSync(join(dir.path, 'txt.yaml'), suite('out.txt'));
    const refused = await cli(['eval', '-c', 'txt.yaml'], dir.path);
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /outputPath: out\.txt: must end in \.json/);
    assert.equal(existsSync(join(dir.path, 'out.txt')), false);
  });
});
