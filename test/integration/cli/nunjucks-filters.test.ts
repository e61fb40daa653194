/**
 * promptfoo's `nunjucksFilters` (https://www.promptfoo.dev/docs/configuration/guide/#nunjucks-filters):
 * a filter name → a JavaScript module beside the suite exporting the filter, used in the
 * prompts (`{{ body | allcaps }}`). Here each call runs in the sandbox the `javascript`
 * assertion uses (QuickJS: no require, file system, network or process; a time and memory
 * limit), so a filter that reaches for the host, or never ends, makes the prompt fail to
 * render: the suite is refused (exit 2) naming the filter. Run in process against the
 * loopback OpenAI-wire server, which answers `echo: <prompt>`.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { evalCommand } from '../../../src/cli/eval-command.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

describe('eval: custom Nunjucks filters (nunjucksFilters)', () => {
  let server: WireServer;
  const dir = tempDir('pcs-filters-');
  before(async () => {
    server = await startWireServer('openai');
    writeFileSync(
      join(dir.path, 'allcaps.js'),
      'module.exports = function (str) {\n  return str.toUpperCase();\n};\n',
    );
    writeFileSync(join(dir.path, 'times.mjs'), 'export default (text, n) => text.repeat(n);\n');
    writeFileSync(
      join(dir.path, 'host.js'),
      "module.exports = () => require('fs').readFileSync('/etc/hostname', 'utf8');\n",
    );
    writeFileSync(join(dir.path, 'spin.js'), 'module.exports = (s) => { for (;;) {} };\n');
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  const suite = (name: string, filters: string[], prompt: string): string => {
    const config = join(dir.path, name);
    writeFileSync(
      config,
      [
        `prompts: ["${prompt}"]`,
        `providers: [{id: "openai:chat:m", config: {apiBaseUrl: "${server.url}", apiKey: k}}]`,
        'nunjucksFilters:',
        ...filters.map((f) => `  ${f}`),
        'tests:',
        '  - vars: {body: hello world, language: French}',
        '    assert: [{type: contains, value: "HELLO WORLD in French abab"}]',
      ].join('\n'),
    );
    return config;
  };

  it('renders the prompts with the filters, each run in the sandbox', async () => {
    const config = suite(
      'ok.yaml',
      ['allcaps: ./allcaps.js', 'times: file://times.mjs'],
      "{{ body | allcaps }} in {{ language }} {{ 'ab' | times(2) }}",
    );
    const { code, report } = await evalCommand({ config, log: () => undefined });
    assert.equal(code, 0);
    assert.deepEqual(
      report.rows.map((r) => [r.verdict, r.output]),
      [['pass', 'echo: HELLO WORLD in French abab']],
    );
  });

  it('refuses a suite whose filter reaches for the host or never ends, naming it', async () => {
    const host = suite('host.yaml', ['host: ./host.js'], '{{ body | host }}');
    await assert.rejects(
      evalCommand({ config: host, log: () => undefined }),
      /the prompt does not render \(Nunjucks\):.*filter host failed: .*require/,
    );
    const spin = suite('spin.yaml', ['spin: ./spin.js'], '{{ body | spin }}');
    await assert.rejects(
      evalCommand({ config: spin, log: () => undefined }),
      /filter spin failed: timed out/,
    );
  });

  it('names the filter whose module is missing or not JavaScript, with its line', async () => {
    const config = suite(
      'missing.yaml',
      ['gone: ./gone.js', 'text: ./notes.txt'],
      '{{ body | gone }}',
    );
    await assert.rejects(evalCommand({ config, log: () => undefined }), (error: Error) => {
      assert.match(
        error.message,
        /missing\.yaml:4: nunjucksFilters\.gone: cannot read .*gone\.js \(ENOENT\)/,
      );
      assert.match(
        error.message,
        /missing\.yaml:5: nunjucksFilters\.text: must name a JavaScript module/,
      );
      return true;
    });
  });
});
