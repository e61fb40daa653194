/**
 * `prompt-cards eval` as CI runs it: a separate process, a promptfoo configuration written from
 * promptfoo's documentation (test/fixtures/promptfoo), an `openai:chat:` provider whose
 * apiBaseUrl is a loopback OpenAI-wire server, and the verdicts its answers imply.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseJunit } from 'junit2json';
import { capitalsAnswer } from '../../support/capitals-model.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { waitFor } from '../../support/run-helpers.js';

// The loader by path: the command runs in a temporary folder, where `tsx` does not resolve.
const TSX = join(process.cwd(), 'node_modules/tsx/dist/loader.mjs');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX, join(process.cwd(), 'src/cli/main.ts'), ...args],
      {
        cwd,
        env: { ...process.env, CI: 'true' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface Row {
  prompt: string;
  test: string;
  verdict: string;
  not_evaluated: { type: string }[];
}

describe('prompt-cards eval on a promptfoo configuration', () => {
  let server: WireServer;
  const dir = tempDir('pcs-cli-');
  let config: string;

  before(async () => {
    server = await startWireServer('openai');
    server.answer = capitalsAnswer;
    cpSync('test/fixtures/promptfoo', dir.path, { recursive: true });
    config = join(dir.path, 'promptfooconfig.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replaceAll('API_BASE_URL', server.url));
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('refuses the unsupported ruby assertion with exit 2, naming it and why, with its line', async () => {
    const out = await cli(['eval', '-c', config], dir.path);
    assert.equal(out.code, 2, out.stderr);
    assert.match(
      out.stderr,
      /promptfooconfig\.yaml:4\d: tests\[3\]\.assert\[0\]\.type: unsupported assertion type "ruby": ruby assertions run code outside a sandbox/,
    );
    assert.equal(server.requests.filter((r) => r.path === '/v1/chat/completions').length, 0);
  });

  it('with --skip-unsupported gives the verdicts the answers imply and writes every format', async () => {
    server.requests.length = 0;
    const out = await cli(
      [
        'eval',
        '-c',
        config,
        '--skip-unsupported',
        '-j',
        '3',
        '--fail-under',
        '0.7',
        '-o',
        'out.json',
        '-o',
        'out.xml',
        '-o',
        'out.csv',
        '-o',
        'out.jsonl',
      ],
      dir.path,
    );
    assert.equal(out.code, 0, out.stderr + out.stdout);
    const report = JSON.parse(readFileSync(join(dir.path, 'out.json'), 'utf8')) as {
      rows: Row[];
      models: { model: string; passed: number; results: number; pass_rate: number }[];
    };
    const verdicts = (prompt: number) =>
      Object.fromEntries(
        report.rows
          .filter((r) => r.prompt === report.rows[prompt * 7]?.prompt)
          .map((r) => [r.test, r.verdict]),
      );
    const expected = {
      France: 'pass', // contains Paris, icontains CAPITAL (defaultTest)
      'Spain as JSON': 'pass', // is-json, regex on "capital": "Madrid"
      'Italy, wrong expectation': 'fail', // the answer says Rome, not Milan
      'Germany, judged by ruby': 'pass', // only the defaultTest assertion ran
      'Portugal from CSV': 'pass', // __expected contains: Lisbon
      'Greece from CSV': 'pass', // __expected icontains: ATHENS
      'Norway from CSV': 'fail', // __expected regex: ^Bergen
    };
    assert.deepEqual(verdicts(0), expected);
    assert.deepEqual(verdicts(1), expected);
    assert.deepEqual(report.models, [
      {
        model: 'openai:chat:gpt-4o-mini',
        results: 14,
        passed: 10,
        failed: 4,
        errored: 0,
        not_evaluated: 0,
        pass_rate: 10 / 14,
        ok: true,
      },
    ]);
    const germany = report.rows.find((r) => r.test.startsWith('Germany'));
    assert.deepEqual(
      germany?.not_evaluated.map((s) => s.type),
      ['ruby'],
    );

    // The provider's options reached the wire; the prompt file was the second card.
    const chats = server.requests.filter((r) => r.path === '/v1/chat/completions');
    assert.equal(chats.length, 14);
    const body = chats[0]?.body as { model: string; temperature: number; max_tokens: number };
    assert.equal(body.model, 'gpt-4o-mini');
    assert.equal(body.temperature, 0);
    assert.equal(body.max_tokens, 64);

    const junit = await parseJunit(readFileSync(join(dir.path, 'out.xml'), 'utf8'));
    assert.ok(junit !== undefined && junit !== null && 'testsuite' in junit);
    assert.equal(junit.tests, 14);
    assert.equal(junit.failures, 4);
    assert.equal(junit.testsuite?.length, 2);
    const failing = junit.testsuite
      ?.flatMap((s) => s.testcase ?? [])
      .filter((c) => c.failure !== undefined);
    assert.deepEqual(failing?.map((c) => c.name).sort(), [
      'Italy, wrong expectation',
      'Italy, wrong expectation',
      'Norway from CSV',
      'Norway from CSV',
    ]);

    const csv = readFileSync(join(dir.path, 'out.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 15);
    assert.equal(readFileSync(join(dir.path, 'out.jsonl'), 'utf8').trim().split('\n').length, 14);
  });

  it('exits 1 when a model is under --fail-under', async () => {
    const out = await cli(
      ['eval', '-c', config, '--skip-unsupported', '--fail-under', '0.8'],
      dir.path,
    );
    assert.equal(out.code, 1, out.stderr);
    assert.match(
      out.stdout,
      /FAIL openai:chat:gpt-4o-mini: 10\/14 passed \(71\.4%, threshold 80\.0%\)/,
    );
  });

  it('with --baseline exits 1 when the answers regress against an earlier report', async () => {
    const base = await cli(
      ['eval', '-c', config, '--skip-unsupported', '--fail-under', '0', '-o', 'base.json'],
      dir.path,
    );
    assert.equal(base.code, 0, base.stderr);
    const same = await cli(
      ['eval', '-c', config, '--skip-unsupported', '--fail-under', '0', '--baseline', 'base.json'],
      dir.path,
    );
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /NO_SIGNIFICANT_CHANGE openai:chat:gpt-4o-mini: 71\.4% → 71\.4%/);
    server.answer = () => 'I do not know.';
    try {
      // All 10 passing results break, none is fixed: McNemar p = 2 · 2^-10 ≈ 0.00195 < 0.05.
      const worse = await cli(
        [
          'eval',
          '-c',
          config,
          '--skip-unsupported',
          '--fail-under',
          '0',
          '--baseline',
          'base.json',
        ],
        dir.path,
      );
      assert.equal(worse.code, 1, worse.stderr);
      assert.match(
        worse.stdout,
        /REGRESSION openai:chat:gpt-4o-mini: 71\.4% → 0\.0% \(McNemar p=0\.00195; 0 fixed, 10 broken/,
      );
    } finally {
      server.answer = capitalsAnswer;
    }
    assert.equal(
      (await cli(['eval', '-c', config, '--skip-unsupported', '--baseline', 'nope.json'], dir.path))
        .code,
      2,
    );
  });

  it('exits 2 for an unknown key, an unknown option and a missing file', async () => {
    writeFileSync(
      join(dir.path, 'bad.yaml'),
      'prompts: [hi]\nproviders: [simulated:fast]\ntests:\n  - vars: {}\n    asert: []\n',
    );
    const bad = await cli(['eval', '-c', 'bad.yaml'], dir.path);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.yaml:5: tests\[0\]: unsupported key "asert"/);
    assert.equal((await cli(['eval', '-c', config, '--nope'], dir.path)).code, 2);
    assert.equal((await cli(['eval', '-c', 'missing.yaml'], dir.path)).code, 2);
  });
});

describe('prompt-cards compare and export against a running service', () => {
  let server: TestServer;
  const dir = tempDir('pcs-cli-server-');
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  it('compares two runs (exit 1 on a regression) and streams results into files', async () => {
    server = await startTestServer({ SIMULATED_LATENCY_MS: '1', SIMULATED_FAILURE_RATE: '0' });
    const card = await server.request('POST', '/api/prompt-cards', {
      title: 'E',
      prompt_template: 'Say {{w}}',
    });
    // Each case passes first (an answer nothing judged would be "not judged", not a pass).
    const rows = Array.from({ length: 8 }, (_, i) => ({
      name: `c${i}`,
      input_variables: { w: `w${i}` },
      assertions: [{ type: 'length', value: { min: 1 } }],
    }));
    await server.request(
      'POST',
      `/api/prompt-cards/${card.body.id}/test-cases/import`,
      JSON.stringify(rows),
      {
        'content-type': 'application/json',
      },
    );
    const run = async () => {
      const created = await server.request('POST', `/api/prompt-cards/${card.body.id}/runs`, {
        models: ['simulated:fast'],
      });
      await waitFor('the run', async () => {
        const r = await server.request('GET', `/api/runs/${created.body.id}`);
        return r.body.status === 'completed' ? r : undefined;
      });
      return created.body.id as string;
    };
    const first = await run();
    const list = await server.request(
      'GET',
      `/api/prompt-cards/${card.body.id}/test-cases?limit=100`,
    );
    for (const tc of list.body.items as {
      id: string;
      name: string;
      input_variables: Record<string, string>;
    }[])
      await server.request('PUT', `/api/test-cases/${tc.id}`, {
        name: tc.name,
        input_variables: tc.input_variables,
        assertions: [{ type: 'contains', value: 'zzz-never' }],
      });
    const second = await run();
    const same = await cli(['compare', first, first, '--server', server.url], dir.path);
    assert.equal(same.code, 0, same.stderr);
    // 8 broken, 0 fixed: p = 2 / 2^8 = 0.0078125.
    const worse = await cli(['compare', first, second, '--server', server.url], dir.path);
    assert.equal(worse.code, 1, worse.stderr);
    assert.match(
      worse.stdout,
      /REGRESSION simulated:fast: 100\.0% → 0\.0% \(McNemar p=0\.00781; 0 fixed, 8 broken/,
    );
    assert.equal((await cli(['compare', 'nope', first, '--server', server.url], dir.path)).code, 2);
    assert.equal(
      (await cli(['compare', first, second, '--server', 'http://127.0.0.1:1'], dir.path)).code,
      2,
    );

    // push: create, then nothing to change, then a changed suite synced by key.
    const suite = (template: string, tests: string) =>
      writeFileSync(
        join(dir.path, 'push.yaml'),
        `prompts: ['${template}']\nproviders: [simulated:fast]\ntests:\n${tests}`,
      );
    const tests3 = ['a', 'b', 'c']
      .map(
        (k) =>
          `  - {description: ${k}, vars: {w: ${k}}, assert: [{type: contains, value: ${k}}]}\n`,
      )
      .join('');
    suite('Push {{w}}', tests3);
    const pushed = await cli(['push', '-c', 'push.yaml', '--server', server.url], dir.path);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(
      pushed.stdout,
      /Push \{\{w\}\}: created; test cases 3 created, 0 updated, 0 deleted, 0 unchanged/,
    );
    const again = await cli(['push', '-c', 'push.yaml', '--server', server.url], dir.path);
    assert.match(
      again.stdout,
      /unchanged; test cases 0 created, 0 updated, 0 deleted, 3 unchanged/,
    );
    suite(
      'Push {{w}}',
      '  - {description: a, vars: {w: a}, assert: [{type: icontains, value: A}]}\n  - {description: b, vars: {w: b}}\n',
    );
    const changed = await cli(['push', '-c', 'push.yaml', '--server', server.url], dir.path);
    assert.match(changed.stdout, /test cases 0 created, 2 updated, 1 deleted, 0 unchanged/);
    const cards = await server.request(
      'GET',
      `/api/prompt-cards?q=${encodeURIComponent('Push {{w}}')}`,
    );
    assert.equal(cards.body.total, 1);
    assert.equal(cards.body.items[0].test_case_count, 2);

    // A labelled prompt keeps its card when its template changes; a template that needs a new
    // variable is applied after the suite's tests (which give it) are synced.
    const labelled = (raw: string, vars: string) =>
      writeFileSync(
        join(dir.path, 'label.yaml'),
        `prompts: [{label: L, raw: '${raw}'}]\nproviders: [simulated:fast]\ntests:\n  - {description: t, vars: {${vars}}}\n`,
      );
    labelled('X {{w}}', 'w: a');
    assert.equal(
      (await cli(['push', '-c', 'label.yaml', '--server', server.url], dir.path)).code,
      0,
    );
    labelled('Y {{w}} {{z}}', 'w: a, z: b');
    const retemplated = await cli(['push', '-c', 'label.yaml', '--server', server.url], dir.path);
    assert.equal(retemplated.code, 0, retemplated.stderr);
    assert.match(
      retemplated.stdout,
      /L: template updated; test cases 0 created, 1 updated, 0 deleted/,
    );
    const versions = await server.request('GET', `/api/prompt-cards?q=L`);
    const labelledCard = (versions.body.items as { id: string; title: string }[]).find(
      (c) => c.title === 'L',
    );
    assert.equal(
      (await server.request('GET', `/api/prompt-cards/${labelledCard?.id}/versions`)).body.total,
      2,
    );

    const exported = await cli(
      ['export', second, '--server', server.url, '-o', 'r.jsonl'],
      dir.path,
    );
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(readFileSync(join(dir.path, 'r.jsonl'), 'utf8').trim().split('\n').length, 8);
    assert.equal(
      (await cli(['export', second, '--server', server.url, '-o', 'r.csv'], dir.path)).code,
      0,
    );
    // Into folders that do not exist yet, as eval's -o.
    const nested = await cli(
      ['export', second, '--server', server.url, '-o', 'out/deeper/r.jsonl'],
      dir.path,
    );
    assert.equal(nested.code, 0, nested.stderr);
    assert.equal(
      readFileSync(join(dir.path, 'out/deeper/r.jsonl'), 'utf8').trim().split('\n').length,
      8,
    );
    assert.equal(
      parseCsv(readFileSync(join(dir.path, 'r.csv'), 'utf8'), { columns: true }).length,
      8,
    );
    // A name whose extension names no format was written as JSON Lines before.
    for (const name of ['r.txt', 'r.json', 'results']) {
      const refused = await cli(['export', second, '--server', server.url, '-o', name], dir.path);
      assert.equal(refused.code, 2, `${name}: ${refused.stderr}`);
      assert.match(refused.stderr, /-o\/--output .*must end in \.jsonl, \.ndjson or \.csv/);
      assert.equal(existsSync(join(dir.path, name)), false, `${name} is not written`);
    }
  });
});
