/**
 * `prompt-cards eval` against a provider that echoes its API key in its error (as OpenAI's 401
 * does): neither the configured key (OPENAI_API_KEY) nor the key of a variable the suite names
 * (promptfoo's apiKeyEnvar) appears in the JSON, JUnit or JSONL report or on the console. The
 * command's engine uses the service's redacting model client.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');
// Not shaped like a known credential: only the configured-secret redaction can catch it.
const CONFIGURED = 'plainkey4c1d9e8f7a6b5c4d3e2f';
const SUITE_KEY = 'suitekey7e6d5c4b3a29180716f5';

function cli(args: readonly string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(process.cwd(), 'src/cli/main.ts'), ...args],
      { cwd, env: { ...process.env, CI: 'true', ...env } },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('prompt-cards eval with a provider echoing its key', () => {
  let wire: WireServer;
  const dir = tempDir('pcs-cli-secrets-');

  before(async () => {
    wire = await startWireServer('openai');
  });
  after(async () => {
    await wire.close();
    dir.remove();
  });

  for (const [label, key, envar] of [
    ['OPENAI_API_KEY', CONFIGURED, undefined],
    ['a suite apiKeyEnvar', SUITE_KEY, 'SUITE_OPENAI_KEY'],
  ] as const) {
    it(`keeps ${label} out of the reports and the console`, async () => {
      const config = join(dir.path, `${envar ?? 'configured'}.yaml`);
      writeFileSync(
        config,
        [
          'prompts:',
          "  - 'Say {{word}}'",
          'providers:',
          '  - id: openai:chat:gpt-4o-mini',
          '    config:',
          `      apiBaseUrl: ${wire.url}`,
          ...(envar === undefined ? [] : [`      apiKeyEnvar: ${envar}`]),
          'tests:',
          '  - vars: { word: one }',
          '    assert: [{ type: contains, value: one }]',
          '  - vars: { word: two }',
          '    assert: [{ type: contains, value: two }]',
          '',
        ].join('\n'),
      );
      const echo = JSON.stringify({
        error: { message: `Incorrect API key provided: ${key}.`, code: 'invalid_api_key' },
      });
      wire.faults.length = 0;
      for (let i = 0; i < 2; i++) wire.faults.push({ kind: 'status', status: 401, body: echo });
      const out = await cli(
        ['eval', '-c', config, '-o', 'out.json', '-o', 'out.xml', '-o', 'out.jsonl'],
        dir.path,
        {
          PROVIDER_MAX_RETRIES: '0',
          OPENAI_API_KEY: envar === undefined ? key : 'unused',
          ...(envar === undefined ? {} : { [envar]: key }),
        },
      );
      assert.equal(out.code, 1, out.out);
      const reports = ['out.json', 'out.xml', 'out.jsonl'].map((f) =>
        readFileSync(join(dir.path, f), 'utf8'),
      );
      assert.match(reports[0] ?? '', /Incorrect API key provided: \[redacted\]/);
      for (const [i, text] of [...reports, out.out].entries())
        assert.equal(text.includes(key), false, `the key is in output ${i}`);
    });
  }
});
