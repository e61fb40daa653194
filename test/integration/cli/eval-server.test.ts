/**
 * `prompt-cards eval --server URL` against the real service on the loopback with
 * AUTH_MODE=api-key and a write rate limit low enough that its 429s (Retry-After) are met and
 * waited out: the verdicts and exit code equal the local eval of the same suite on the
 * simulated model, a failing suite exits 1, a wrong key exits 2 with one line, the run is in
 * the service's history, a suite with a feature only the local engine runs exits 2 naming it
 * before anything is pushed, and Ctrl-C cancels the run on the service (exit 130).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliProcess as cli } from '../../support/cli-process.js';
import { waitFor } from '../../support/run-helpers.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const SIMULATED = { SIMULATED_LATENCY_MS: '0', SIMULATED_FAILURE_RATE: '0' };

function suite(title: string, failing: boolean): string {
  return [
    `description: ${title}`,
    'prompts:',
    `  - '${title}: tell me about {{topic}}'`,
    `  - label: ${title} short`,
    `    raw: 'In short, {{topic}}'`,
    'providers: [simulated:fast, simulated:slow]',
    'defaultTest:',
    '  assert: [{type: regex, value: "."}]',
    'tests:',
    ...['refunds', 'billing', 'shipping', 'taxes'].map(
      (topic, i) =>
        `  - {description: ${topic}, vars: {topic: ${topic}}, assert: [{type: ${failing && i % 2 === 0 ? 'contains' : 'not-contains'}, value: zzz-never}]}`,
    ),
    '  - {description: no assertions of its own, vars: {topic: other}}',
    '',
  ].join('\n');
}

interface Row {
  prompt: string;
  test: string;
  model: string;
  verdict: string;
  score: number;
}

function verdicts(file: string): string[] {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] };
  return report.rows
    .map((r) => `${r.prompt} | ${r.test} | ${r.model} | ${r.verdict} | ${r.score}`)
    .sort();
}

describe('prompt-cards eval --server', () => {
  let server: TestServer;
  let key: string;
  const dir = tempDir('pcs-cli-eval-server-');
  const noKey = { PROMPT_CARDS_API_KEY: undefined };

  before(async () => {
    server = await startTestServer({
      AUTH_MODE: 'api-key',
      ...SIMULATED,
      // One write per 2 s: push and run (card, cases, run: three writes in a row) meet 429 with
      // Retry-After and wait it out, however slowly a loaded machine serves them (with three a
      // second, writes spread over several windows on a busy machine never met the limit).
      RATE_LIMIT_WRITES: '1',
      RATE_LIMIT_WINDOW_SECONDS: '2',
    });
    key = (await server.running.keys.create('ci', 'editor')).key;
    writeFileSync(join(dir.path, 'passing.yaml'), suite('Passing', false));
    writeFileSync(join(dir.path, 'failing.yaml'), suite('Failing', true));
  });
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  for (const [name, expected] of [
    ['passing', 0],
    ['failing', 1],
  ] as const) {
    it(`gives the local verdicts and exit code on the ${name} suite`, async () => {
      const local = await cli(
        ['eval', '-c', `${name}.yaml`, '-o', `${name}-local.json`],
        dir.path,
        SIMULATED,
      );
      assert.equal(local.code, expected, local.stderr);
      const remote = await cli(
        ['eval', '-c', `${name}.yaml`, '--server', server.url, '-o', `${name}-server.json`],
        dir.path,
        { PROMPT_CARDS_API_KEY: key },
      );
      assert.equal(remote.code, expected, `${remote.stdout}\n${remote.stderr}`);
      const rows = verdicts(join(dir.path, `${name}-server.json`));
      assert.equal(rows.length, 2 * 5 * 2);
      assert.deepEqual(rows, verdicts(join(dir.path, `${name}-local.json`)));
      const summary = (out: string) => out.split('\n').filter((l) => /^(PASS|FAIL) /.test(l));
      assert.deepEqual(summary(remote.stdout), summary(local.stdout));
      if (expected === 1) assert.match(remote.stdout, /failing test\(s\):/);
      assert.ok(!remote.stdout.includes(key) && !remote.stderr.includes(key));

      // Each card's run is in the service's history.
      const auth = { authorization: `Bearer ${key}` };
      const started = [...remote.stdout.matchAll(/^run (\S+) of "([^"]+)" started/gm)];
      assert.equal(started.length, 2, remote.stdout);
      const cards = await server.request('GET', '/api/prompt-cards?limit=100', undefined, auth);
      for (const [, runId, title] of started) {
        const card = (cards.body.items as { id: string; title: string }[]).find(
          (c) => c.title === title,
        );
        assert.ok(card !== undefined, title);
        const history = await server.request(
          'GET',
          `/api/prompt-cards/${card.id}/runs`,
          undefined,
          auth,
        );
        const run = (history.body.items as { id: string; status: string }[]).find(
          (r) => r.id === runId,
        );
        assert.equal(run?.status, 'completed', history.text);
      }
      // The write limit answered 429 (with Retry-After) and the command waited it out.
      const metrics = await server.request('GET', '/api/metrics', undefined, auth);
      assert.match(metrics.text, /http_requests_total\{[^}]*status_code="429"[^}]*\} [1-9]/);
    });
  }

  it('exits 2 with one line on a wrong key, never printing it', async () => {
    const wrong = 'pck_this-key-is-wrong-0123456789abcdef';
    const out = await cli(
      ['eval', '-c', 'passing.yaml', '--server', server.url, '--api-key', wrong],
      dir.path,
      noKey,
    );
    assert.equal(out.code, 2, out.stderr);
    const lines = out.stderr.trim().split('\n');
    assert.equal(lines.length, 1, out.stderr);
    assert.match(lines[0] ?? '', /401 PCS_ERR_AUTH_INVALID: .*--api-key or PROMPT_CARDS_API_KEY/);
    assert.ok(!out.stdout.includes(wrong) && !out.stderr.includes(wrong));
  });

  it('refuses, before anything is pushed, what only the local engine runs', async () => {
    writeFileSync(
      join(dir.path, 'local-only.yaml'),
      [
        'prompts: ["Local only {{a}} {{ b | upper }}"]',
        'providers:',
        '  - id: simulated:fast',
        '    config: {temperature: 0.2}',
        'tests:',
        '  - vars: {a: x, b: y}',
        '    assert: [{type: cost, threshold: 0.01}, {type: llm-rubric, value: polite}]',
        '',
      ].join('\n'),
    );
    const auth = { authorization: `Bearer ${key}` };
    const before = await server.request('GET', '/api/prompt-cards?limit=100', undefined, auth);
    const out = await cli(
      ['eval', '-c', 'local-only.yaml', '--server', server.url, '--grader', 'simulated:grader'],
      dir.path,
      { PROMPT_CARDS_API_KEY: key },
    );
    assert.equal(out.code, 2, out.stderr);
    assert.match(out.stderr, /nothing was pushed/);
    for (const named of [
      /--grader/,
      /provider simulated:fast: config\.temperature/,
      /Nunjucks \(\{\{ b \| upper \}\}\)/,
      /assertion cost: the service prices models from its MODEL_PRICES only/,
      /assertion llm-rubric: the service grades it with its own GRADER_MODEL/,
    ])
      assert.match(out.stderr, named);
    const later = await server.request('GET', '/api/prompt-cards?limit=100', undefined, auth);
    assert.equal(later.body.total, before.body.total);
  });
});

describe('prompt-cards eval --server, interrupted', () => {
  let server: TestServer;
  const dir = tempDir('pcs-cli-eval-server-int-');
  before(async () => {
    server = await startTestServer({ SIMULATED_LATENCY_MS: '500', SIMULATED_FAILURE_RATE: '0' });
    writeFileSync(
      join(dir.path, 'slow.yaml'),
      [
        "prompts: ['Slowly {{n}}']",
        'providers: [simulated:slow]',
        'tests:',
        ...Array.from({ length: 20 }, (_, n) => `  - vars: {n: ${n}}`),
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  it('cancels the run on the service on Ctrl-C and exits 130', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        join(process.cwd(), 'node_modules/tsx/dist/loader.mjs'),
        join(process.cwd(), 'src/cli/main.ts'),
        ...['eval', '-c', 'slow.yaml', '-j', '1', '--server', server.url],
      ],
      { cwd: dir.path, env: { ...process.env, CI: 'true' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const runId = await waitFor(
      'the run to start',
      () => Promise.resolve(/^run (\S+) of/m.exec(stdout)?.[1]),
      // A hang guard: the command compiles and starts slowly on a loaded machine.
      120_000,
    );
    child.kill('SIGINT');
    assert.equal(await closed, 130, `${stdout}\n${stderr}`);
    assert.match(stderr, new RegExp(`interrupted: run\\(s\\) ${runId} cancelled on the service`));
    const run = await server.request('GET', `/api/runs/${runId}`);
    assert.equal(run.body.status, 'cancelled', run.text);
  });
});
