/**
 * The options a CI user of promptfoo expects of `prompt-cards eval`: `--version`, `-o` into
 * folders that do not exist yet, `--filter-pattern`, `--filter-failing <report.json>` and the
 * table of failing tests in the summary. The model is a loopback OpenAI-wire server answering
 * "echo: <prompt>", so a `contains: echo` test passes and a `contains: zzz` test fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliProcess as cli } from '../../support/cli-process.js';
import { tempDir } from '../../support/temp-dir.js';
import { startWireServer, type WireServer } from '../../support/wire-server.js';

const FAILING = 23;

function chatCalls(server: WireServer): number {
  return server.requests.filter((r) => r.path === '/v1/chat/completions').length;
}

describe('prompt-cards eval: the CI options of promptfoo', () => {
  let server: WireServer;
  const dir = tempDir('pcs-cli-ci-');

  before(async () => {
    server = await startWireServer('openai');
    const failing = Array.from(
      { length: FAILING },
      (_, i) =>
        `  - {description: 'broken ${String(i + 1).padStart(2, '0')}', vars: {w: b${i}}, assert: [{type: contains, value: zzz}]}\n`,
    ).join('');
    // A description on two lines and longer than the table's column: shown on one line, cut.
    const long =
      '  - {description: "broken 00 whose description is long and\\nruns onto a second line", vars: {w: c}, assert: [{type: contains, value: zzz}]}\n';
    writeFileSync(
      join(dir.path, 'promptfooconfig.yaml'),
      "prompts: [{raw: 'Say {{w}}', label: sayer}]\n" +
        `providers:\n  - id: openai:chat:gpt-4o-mini\n    config: {apiBaseUrl: ${server.url}/v1}\n` +
        'tests:\n' +
        "  - {description: 'fine one', vars: {w: a}, assert: [{type: contains, value: echo}]}\n" +
        "  - {description: 'fine two', vars: {w: b}, assert: [{type: contains, value: echo}]}\n" +
        long +
        failing,
    );
  });
  after(async () => {
    await server.close();
    dir.remove();
  });

  it('--version prints the package version and exits 0', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string })
      .version;
    const out = await cli(['--version'], dir.path);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout.trim(), version);
  });

  it('writes -o reports into folders it creates, and lists the failing tests in the summary', async () => {
    const out = await cli(
      ['eval', '-c', 'promptfooconfig.yaml', '-o', 'out/sub/report.xml', '-o', 'out/r.json'],
      dir.path,
    );
    assert.equal(out.code, 1, out.stderr);
    assert.ok(existsSync(join(dir.path, 'out/sub/report.xml')));
    assert.match(readFileSync(join(dir.path, 'out/sub/report.xml'), 'utf8'), /<testsuites /);
    const lines = out.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith(`${FAILING + 1} failing test(s)`));
    assert.ok(header >= 0, out.stdout);
    const rows = lines.slice(header + 1).filter((l) => l.includes('broken '));
    assert.equal(rows.length, 20, out.stdout);
    assert.match(rows[0] ?? '', /^ {2}broken 00 whose description is long and… +sayer +openai/);
    assert.match(rows[1] ?? '', /broken 01 .*sayer .*openai:chat:gpt-4o-mini .*contains.*zzz/);
    assert.ok(lines.includes(`… and ${FAILING + 1 - 20} more`), out.stdout);
    assert.ok(!out.stdout.includes('fine one'), 'a passing test is not in the table');
  });

  it('--filter-pattern runs only the tests whose description matches', async () => {
    const before = chatCalls(server);
    const out = await cli(
      ['eval', '-c', 'promptfooconfig.yaml', '--filter-pattern', '^fine', '-o', 'fine.json'],
      dir.path,
    );
    assert.equal(out.code, 0, out.stderr + out.stdout);
    assert.equal(chatCalls(server) - before, 2);
    const report = JSON.parse(readFileSync(join(dir.path, 'fine.json'), 'utf8')) as {
      rows: { test: string }[];
    };
    assert.deepEqual(
      report.rows.map((r) => r.test),
      ['fine one', 'fine two'],
    );
    const bad = await cli(
      ['eval', '-c', 'promptfooconfig.yaml', '--filter-pattern', '('],
      dir.path,
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--filter-pattern/);
    // A pattern that selects nothing is one clear line, not an internal error's stack.
    const none = await cli(
      ['eval', '-c', 'promptfooconfig.yaml', '--filter-pattern', 'zzzz-no-such-test'],
      dir.path,
    );
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no test matches --filter-pattern/);
    assert.doesNotMatch(none.stderr, /\n\s+at /);
  });

  it('--filter-failing runs only the tests that failed or errored in an earlier report', async () => {
    const before = chatCalls(server);
    const out = await cli(
      ['eval', '-c', 'promptfooconfig.yaml', '--filter-failing', 'out/r.json', '-o', 'again.json'],
      dir.path,
    );
    assert.equal(out.code, 1, out.stderr);
    assert.equal(chatCalls(server) - before, FAILING + 1);
    const report = JSON.parse(readFileSync(join(dir.path, 'again.json'), 'utf8')) as {
      rows: { test: string; verdict: string }[];
    };
    assert.equal(report.rows.length, FAILING + 1);
    assert.ok(report.rows.every((r) => r.test.startsWith('broken ') && r.verdict === 'fail'));
    const missing = await cli(
      ['eval', '-c', 'promptfooconfig.yaml', '--filter-failing', 'nope.json'],
      dir.path,
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--filter-failing/);
  });

  it('--exit-code-on-failure and PROMPTFOO_FAILED_TEST_EXIT_CODE replace exit 1 only', async () => {
    const failing = ['eval', '-c', 'promptfooconfig.yaml', '--filter-pattern', 'broken 01'];
    const passing = ['eval', '-c', 'promptfooconfig.yaml', '--filter-pattern', 'fine one'];
    const option = await cli([...failing, '--exit-code-on-failure', '100'], dir.path);
    assert.equal(option.code, 100, option.stderr);
    const env = { PROMPTFOO_FAILED_TEST_EXIT_CODE: '42' };
    assert.equal((await cli(failing, dir.path, env)).code, 42);
    assert.equal((await cli([...failing, '--exit-code-on-failure', '7'], dir.path, env)).code, 7);
    assert.equal((await cli(passing, dir.path, env)).code, 0);
    // A bad suite or option stays 2.
    assert.equal((await cli(['eval', '-c', 'missing.yaml'], dir.path, env)).code, 2);
    const bad = await cli(failing, dir.path, { PROMPTFOO_FAILED_TEST_EXIT_CODE: 'x' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /PROMPTFOO_FAILED_TEST_EXIT_CODE/);
    // 0 is an exit code (promptfoo's way to report failures without failing the step).
    const zero = await cli([...failing, '--exit-code-on-failure', '0'], dir.path);
    assert.equal(zero.code, 0, zero.stderr);
    assert.match(zero.stdout, /FAIL /);
  });

  it('refuses an exit code that is not a decimal integer 0–255 with one line, before any call', async () => {
    // One case of each source here (a process each); the full matrix is in
    // test/unit/cli/option-parsers.test.ts.
    const failing = ['eval', '-c', 'promptfooconfig.yaml', '--filter-pattern', 'broken 01'];
    const calls = chatCalls(server);
    const option = await cli([...failing, '--exit-code-on-failure', '0x10'], dir.path);
    assert.equal(option.code, 2, option.stderr);
    assert.equal(option.stderr.trim().split('\n').length, 1, option.stderr);
    assert.match(option.stderr, /--exit-code-on-failure/);
    const env = await cli(failing, dir.path, { PROMPTFOO_FAILED_TEST_EXIT_CODE: '1e2' });
    assert.equal(env.code, 2, env.stderr);
    assert.equal(env.stderr.trim().split('\n').length, 1, env.stderr);
    assert.match(env.stderr, /PROMPTFOO_FAILED_TEST_EXIT_CODE="1e2"/);
    const repeat = await cli([...failing, '--repeat', '0x2'], dir.path);
    assert.equal(repeat.code, 2, repeat.stderr);
    assert.match(repeat.stderr, /--repeat/);
    assert.equal(chatCalls(server), calls, 'no model call for a refused option');
  });
});
