/**
 * Names a service holds are cut to 200 characters; two tests (a 200-character description and
 * a list var: keys "… [1]", "… [2]"), or two inline prompts, that share their first 200 characters stay two test cases (two cards): the cut keeps the beginning and
 * adds a hash of the whole text, the same on every push, so pushing again changes nothing and
 * `eval --server` finds each test's verdict.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pushCommand } from '../../../src/cli/push-command.js';
import { serverEvalCommand } from '../../../src/cli/server-eval.js';
import { tempDir } from '../../support/temp-dir.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const SHARED = `${'a long shared beginning '.repeat(9)}`.slice(0, 200);

describe('push: long names stay unique and stable', () => {
  let server: TestServer;
  const dir = tempDir('pcs-long-names-');
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.dispose();
    dir.remove();
  });

  it('keeps two tests and two prompts that share 200 characters apart, push after push', async () => {
    assert.equal(SHARED.length, 200);
    const config = join(dir.path, 'long.yaml');
    writeFileSync(
      config,
      [
        'prompts:',
        // A prompt written inline is its own label: its card's title.
        `  - "${SHARED} first {{w}}"`,
        `  - "${SHARED} second {{w}}"`,
        'providers: [simulated:fast]',
        'tests:',
        // 200 characters each: a list var makes two tests of each, keys "… [1]" and "… [2]".
        `  - {description: "${SHARED}", vars: {w: [x, y]}, assert: [{type: regex, value: "."}]}`,
        `  - {description: "${SHARED.slice(0, 199)}!", vars: {w: [x, y]}, assert: [{type: contains, value: zzzqqq}]}`,
      ].join('\n'),
    );
    const lines: string[] = [];
    await pushCommand(config, server.url, (line) => lines.push(line));
    const cards = (await server.request('GET', '/api/prompt-cards?limit=100')).body.items as {
      id: string;
      title: string;
    }[];
    const pushed = cards.filter((c) => c.title.startsWith(SHARED.slice(0, 150)));
    assert.equal(pushed.length, 2, JSON.stringify(cards.map((c) => c.title)));
    assert.notEqual(pushed[0]?.title, pushed[1]?.title);
    for (const card of pushed) {
      assert.ok(card.title.length <= 200);
      const cases = await server.request('GET', `/api/prompt-cards/${card.id}/test-cases`);
      const names = (cases.body.items as { name: string }[]).map((c) => c.name);
      // The suite's own names are in the report; the service's are cut with a hash.
      assert.equal(names.length, 4, JSON.stringify(names));
      assert.equal(new Set(names).size, 4);
      for (const name of names) {
        assert.ok(name.length <= 200, name);
        assert.match(name, /^a long shared beginning .* #[0-9a-f]{8}$/);
      }
    }
    lines.length = 0;
    await pushCommand(config, server.url, (line) => lines.push(line));
    assert.equal(lines.filter((l) => /4 unchanged/.test(l)).length, 2, lines.join('\n'));

    const { code, report } = await serverEvalCommand({
      config,
      server: server.url,
      pollMs: 50,
      log: () => undefined,
    });
    assert.equal(code, 1);
    assert.deepEqual(
      report?.rows.map((r) => r.verdict),
      ['pass', 'pass', 'fail', 'fail', 'pass', 'pass', 'fail', 'fail'],
    );
  });
});
